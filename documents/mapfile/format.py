"""The cjm-map file format's name, version and limits (docs/map-format.md)."""

FORMAT = "cjm-map"


VERSION = 1


MAX_BYTES = 25 * 1024 * 1024


CARD_FIELDS = ("text", "emotion_score", "severity", "channel")
