"""A map shared beyond the room (docs/sharing.md): public read-only links that a facilitator
makes, lists and revokes (links.py), the board as such a link shows it (board.py), and how often
one address may open them (rates.py). The pages are documents/web/share.py, the facilitators'
API documents/api/share.py; the picture of the map is documents/pdf/png.py's."""
