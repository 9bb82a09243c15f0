"""Materialised paths: each node's path is its ancestors' segments and its own, fixed width.

A segment is the node's primary key in base 36, 6 characters, followed by '.', so a path never needs
renumbering: a move rewrites a prefix, and every subtree is the range of paths starting with its own.
"""

SEGMENT_WIDTH = 6
STEP = SEGMENT_WIDTH + 1
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def segment(pk: int) -> str:
    if pk <= 0 or pk >= 36**SEGMENT_WIDTH:
        raise ValueError(f"pk {pk} does not fit a path segment")
    out = ""
    while pk:
        pk, r = divmod(pk, 36)
        out = _DIGITS[r] + out
    return out.rjust(SEGMENT_WIDTH, "0") + "."


def child_path(parent_path: str, pk: int) -> str:
    return f"{parent_path}{segment(pk)}"


def depth(path: str) -> int:
    return len(path) // STEP


def ancestor_paths(path: str) -> list[str]:
    """Paths of the ancestors, root first, not including the node itself."""
    return [path[: i * STEP] for i in range(1, depth(path))]


def is_within(path: str, ancestor: str) -> bool:
    return path.startswith(ancestor)
