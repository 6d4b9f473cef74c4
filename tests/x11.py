"""Close a window under Xvfb as a user does, through the X server: the WM_DELETE_WINDOW message a
window manager sends when the window's close button is clicked (Xvfb runs no window manager).
libX11 through ctypes: Qt's xcb platform already needs it, so nothing more to install.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from ctypes import POINTER, byref, c_char_p, c_int, c_long, c_uint, c_ulong, c_void_p

CLIENT_MESSAGE = 33  # X.h


class _ClientMessage(ctypes.Structure):
    _fields_ = [
        ("type", c_int),
        ("serial", c_ulong),
        ("send_event", c_int),
        ("display", c_void_p),
        ("window", c_ulong),
        ("message_type", c_ulong),
        ("format", c_int),
        ("data", c_long * 5),
    ]


class _Event(ctypes.Union):
    _fields_ = [("xclient", _ClientMessage), ("pad", c_long * 24)]  # XEvent is 24 longs


def _xlib() -> ctypes.CDLL:
    x = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    x.XOpenDisplay.restype = c_void_p
    x.XOpenDisplay.argtypes = [c_char_p]
    x.XDefaultRootWindow.restype = c_ulong
    x.XDefaultRootWindow.argtypes = [c_void_p]
    x.XQueryTree.argtypes = [c_void_p, c_ulong, POINTER(c_ulong), POINTER(c_ulong), POINTER(POINTER(c_ulong)), POINTER(c_uint)]
    x.XFetchName.argtypes = [c_void_p, c_ulong, POINTER(c_char_p)]
    x.XInternAtom.restype = c_ulong
    x.XInternAtom.argtypes = [c_void_p, c_char_p, c_int]
    x.XSendEvent.argtypes = [c_void_p, c_ulong, c_int, c_long, POINTER(_Event)]
    for name in ("XFlush", "XFree", "XCloseDisplay"):
        getattr(x, name).argtypes = [c_void_p]
    return x


def close_window(display: int, title: str) -> list[str]:
    """Ask every top-level window titled `title` on :display to close; returns the titles of the
    top-level windows seen (for a failing test's message)."""
    x = _xlib()
    dpy = x.XOpenDisplay(f":{display}".encode())
    if not dpy:
        raise OSError(f"cannot open the X display :{display}")
    try:
        root, parent = c_ulong(), c_ulong()
        children, count = POINTER(c_ulong)(), c_uint()
        x.XQueryTree(dpy, x.XDefaultRootWindow(dpy), byref(root), byref(parent), byref(children), byref(count))
        titles, matching = [], []
        for i in range(count.value):
            name = c_char_p()
            if x.XFetchName(dpy, children[i], byref(name)) and name.value:
                titles.append(name.value.decode("utf-8", "replace"))
                if titles[-1] == title:
                    matching.append(children[i])
                x.XFree(name)
        if children:
            x.XFree(children)
        for window in matching:
            event = _Event()
            event.xclient.type = CLIENT_MESSAGE
            event.xclient.window = window
            event.xclient.message_type = x.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
            event.xclient.format = 32
            event.xclient.data[0] = x.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
            x.XSendEvent(dpy, window, 0, 0, byref(event))
        x.XFlush(dpy)
        return titles
    finally:
        x.XCloseDisplay(dpy)
