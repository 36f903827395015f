"""Sizes every way in checks against (the services, the API, the socket, the map file)."""

CARD_TEXT_MAX = 2000
TITLE_MAX = 200
# The largest id, and any whole number, a query may carry: ids are 64-bit (BigAutoField).
ID_MAX = 2**63 - 1
