"""The system's own keyboard layouts, through libxkbcommon: an oracle for the scan input.

libxkbcommon compiles the same xkb data files as ``xkbcomp``/``setxkbmap`` (and is what
Qt uses on Linux to turn a key code into text), so a scanner "set to" one layout and a PC
"set to" another can be simulated without the project's own tables:

- the scanner looks up, in its layout, which key (and whether Shift) types each
  character, and presses it; it knows nothing of the PC's Caps Lock;
- the PC turns each key code, with the Shift the scanner pressed and its own Caps Lock,
  into text with its layout.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass
from functools import cache

# evdev key codes are X11 key codes minus 8; evdev codes are PC/AT set-1 codes here.
X11_OFFSET = 8


class _RuleNames(ctypes.Structure):
    _fields_ = [
        ("rules", ctypes.c_char_p),
        ("model", ctypes.c_char_p),
        ("layout", ctypes.c_char_p),
        ("variant", ctypes.c_char_p),
        ("options", ctypes.c_char_p),
    ]


@cache
def _library() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("xkbcommon") or "libxkbcommon.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.xkb_context_new.restype = ctypes.c_void_p
    lib.xkb_context_new.argtypes = [ctypes.c_int]
    lib.xkb_keymap_new_from_names.restype = ctypes.c_void_p
    lib.xkb_keymap_new_from_names.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(_RuleNames),
        ctypes.c_int,
    ]
    lib.xkb_state_new.restype = ctypes.c_void_p
    lib.xkb_state_new.argtypes = [ctypes.c_void_p]
    lib.xkb_keymap_mod_get_index.restype = ctypes.c_uint32
    lib.xkb_keymap_mod_get_index.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.xkb_state_update_mask.argtypes = [ctypes.c_void_p] + [ctypes.c_uint32] * 6
    lib.xkb_state_key_get_utf8.restype = ctypes.c_int
    lib.xkb_state_key_get_utf8.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_char_p,
        ctypes.c_size_t,
    ]
    return lib


def available() -> bool:
    return _library() is not None and XkbLayout.load("us") is not None


@dataclass(frozen=True)
class XkbLayout:
    """One compiled system layout; ``text`` says what a key types in a modifier state."""

    name: str
    _state: int
    _shift: int
    _lock: int

    @staticmethod
    @cache
    def load(layout: str, variant: str = "") -> XkbLayout | None:
        lib = _library()
        if lib is None:
            return None
        context = lib.xkb_context_new(0)
        names = _RuleNames(b"evdev", b"pc105", layout.encode(), variant.encode(), b"")
        keymap = lib.xkb_keymap_new_from_names(context, ctypes.byref(names), 0)
        if not keymap:
            return None
        state = lib.xkb_state_new(keymap)
        shift = 1 << lib.xkb_keymap_mod_get_index(keymap, b"Shift")
        lock = 1 << lib.xkb_keymap_mod_get_index(keymap, b"Lock")
        label = f"{layout}({variant})" if variant else layout
        return XkbLayout(label, state, shift, lock)

    def text(self, keycode: int, *, shift: bool, caps_lock: bool = False) -> str:
        """What this layout types for the X11 key code (Caps Lock applied as X does)."""
        lib = _library()
        assert lib is not None
        depressed = self._shift if shift else 0
        locked = self._lock if caps_lock else 0
        lib.xkb_state_update_mask(self._state, depressed, 0, locked, 0, 0, 0)
        buffer = ctypes.create_string_buffer(16)
        lib.xkb_state_key_get_utf8(self._state, keycode, buffer, 16)
        return buffer.value.decode("utf-8")

    @property
    def keys(self) -> dict[str, tuple[int, bool]]:
        """Where each character is: the first key code that types it, the ISO key last."""
        return _keys(self)


@cache
def _keys(layout: XkbLayout) -> dict[str, tuple[int, bool]]:
    found: dict[str, tuple[int, bool]] = {}
    # The typing keys (Escape … the keypad), the ISO "<>" key (94) last: a US keyboard
    # has none, and a scanner uses it only for what no other key types.
    keycodes = [*range(9, 94), 94]
    for keycode in keycodes:
        for shift in (False, True):
            char = layout.text(keycode, shift=shift)
            if len(char) == 1 and char.isprintable() and char not in found:
                found[char] = (keycode, shift)
    return found


@dataclass(frozen=True)
class TypedKey:
    """One key as the PC received it: its text there, its set-1 code, Shift."""

    text: str
    code: int
    shift: bool


def scanner_types(
    payload: str, scanner: XkbLayout, pc: XkbLayout, *, caps_lock: bool = False
) -> list[TypedKey] | None:
    """The keys a scanner set to ``scanner`` sends for ``payload``, as ``pc`` reads them.

    None when the scanner's layout has no key for a character of the payload.
    """
    typed: list[TypedKey] = []
    where = scanner.keys
    for char in payload:
        if char not in where:
            return None
        keycode, shift = where[char]
        typed.append(
            TypedKey(pc.text(keycode, shift=shift, caps_lock=caps_lock), keycode - 8, shift)
        )
    return typed
