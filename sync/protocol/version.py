"""Protocol version. Bump on any change an older peer would misread."""

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-EAkte-Protocol"
