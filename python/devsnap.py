# SPDX-License-Identifier: MIT
"""Read devsnap dumps from Python: a thin ctypes binding of libdevsnap.so.0.

    import devsnap
    with devsnap.Dump("devsnap-demo.core") as dump:
        print(dump.info.format, len(dump.segments()))
        log = dump.read(0x400000000000, 8192)

Every call goes to the C library (<devsnap/devsnap.h>, libdevsnap(3)):
nothing here parses ELF.  Errors are OSError with the C call's errno;
a dump the library refuses raises DumpError, which says why and where.
Strings from a dump are its contents, decoded as UTF-8 with
surrogateescape: escape them before printing them to a terminal.
"""

import ctypes
import errno
import os
from collections import namedtuple

__all__ = ["Dump", "DumpError", "Segment", "Note", "Info", "Format", "formats", "version"]

_lib = ctypes.CDLL(os.environ.get("DEVSNAP_LIBRARY", "libdevsnap.so.0"), use_errno=False)

_u64 = ctypes.c_uint64
_OPEN_OPTIONS_VERSION = 1
_OPEN_NOFOLLOW = 1 << 0
_OPEN_COPY = 1 << 1
_MAX_ROOTS = 4


class _OpenError(ctypes.Structure):
    _fields_ = [("message", ctypes.c_char_p), ("offset", _u64)]


class _OpenOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("flags", ctypes.c_uint),
                ("error", ctypes.POINTER(_OpenError))]


class _Info(ctypes.Structure):
    _fields_ = [("producer", ctypes.c_int), ("device", ctypes.c_char_p),
                ("driver", ctypes.c_char_p), ("reason", ctypes.c_char_p),
                ("format", ctypes.c_char_p), ("time_ns", _u64), ("page_size", ctypes.c_uint32),
                ("va_bits", ctypes.c_uint32), ("nroots", ctypes.c_uint),
                ("roots", _u64 * _MAX_ROOTS), ("mapped_bytes", _u64), ("saved_bytes", _u64),
                ("e_machine", ctypes.c_uint16), ("file_size", _u64),
                ("segment_count", ctypes.c_size_t), ("note_count", ctypes.c_size_t),
                ("blob_count", ctypes.c_size_t)]


class _Segment(ctypes.Structure):
    _fields_ = [("va", _u64), ("pa", _u64), ("size", _u64), ("file_size", _u64),
                ("file_offset", _u64), ("p_flags", ctypes.c_uint32), ("perm", ctypes.c_uint),
                ("pte_bits", _u64), ("state", ctypes.c_int), ("state_name", ctypes.c_char_p),
                ("align", _u64)]


class _Note(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("type", ctypes.c_uint32),
                ("data", ctypes.c_void_p), ("size", ctypes.c_size_t), ("file_offset", _u64)]


class _Blob(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("name_len", ctypes.c_size_t),
                ("data", ctypes.c_void_p), ("size", ctypes.c_size_t)]


def _declare(name, restype, *argtypes):
    fn = getattr(_lib, name)
    fn.restype = restype
    fn.argtypes = argtypes
    return fn


_P = ctypes.c_void_p
_version = _declare("devsnap_version", ctypes.c_char_p, _P, _P, _P)
_open_path = _declare("devsnap_dump_open_path", ctypes.c_int, ctypes.POINTER(_P),
                      ctypes.c_char_p, ctypes.POINTER(_OpenOptions))
_open_fd = _declare("devsnap_dump_open_fd", ctypes.c_int, ctypes.POINTER(_P), ctypes.c_int,
                    ctypes.POINTER(_OpenOptions))
_open_memory = _declare("devsnap_dump_open_memory", ctypes.c_int, ctypes.POINTER(_P),
                        ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_OpenOptions))
_close = _declare("devsnap_dump_close", None, _P)
_get_info = _declare("devsnap_dump_get_info", ctypes.c_int, _P, ctypes.POINTER(_Info))
_segment_count = _declare("devsnap_dump_segment_count", ctypes.c_size_t, _P)
_segment = _declare("devsnap_dump_segment", ctypes.c_int, _P, ctypes.c_size_t,
                    ctypes.POINTER(_Segment))
_lookup_va = _declare("devsnap_dump_lookup_va", ctypes.c_int, _P, _u64,
                      ctypes.POINTER(_Segment), ctypes.POINTER(ctypes.c_size_t))
_overlap = _declare("devsnap_dump_overlap", ctypes.c_int, _P, ctypes.POINTER(_u64),
                    ctypes.POINTER(_u64))
_read_va = _declare("devsnap_dump_read_va", ctypes.c_int64, _P, _u64, ctypes.c_void_p,
                    ctypes.c_size_t)
_read_pa = _declare("devsnap_dump_read_pa", ctypes.c_int64, _P, _u64, ctypes.c_void_p,
                    ctypes.c_size_t)
_note_count = _declare("devsnap_dump_note_count", ctypes.c_size_t, _P)
_note = _declare("devsnap_dump_note", ctypes.c_int, _P, ctypes.c_size_t, ctypes.POINTER(_Note))
_blob_count = _declare("devsnap_dump_blob_count", ctypes.c_size_t, _P)
_blob = _declare("devsnap_dump_blob", ctypes.c_int, _P, ctypes.c_size_t, ctypes.POINTER(_Blob))
_format_at = _declare("devsnap_format_at", _P, ctypes.c_size_t)
_format_name = _declare("devsnap_format_name", ctypes.c_char_p, _P)
_format_description = _declare("devsnap_format_description", ctypes.c_char_p, _P)
_format_page_size = _declare("devsnap_format_page_size", ctypes.c_uint32, _P)
_format_va_bits = _declare("devsnap_format_va_bits", ctypes.c_int, _P,
                           ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(ctypes.c_uint),
                           ctypes.POINTER(ctypes.c_uint))
_format_max_roots = _declare("devsnap_format_max_roots", ctypes.c_uint, _P)


def _text(raw):
    return None if raw is None else raw.decode("utf-8", "surrogateescape")


def _check(r, what):
    if r < 0:
        raise OSError(-r, "%s: %s" % (what, os.strerror(-r)))
    return r


class DumpError(OSError):
    """The library refused the file: not a sound dump (errno EBADMSG)."""

    def __init__(self, name, message, offset):
        super().__init__(errno.EBADMSG, "%s: %s (at file offset 0x%x)" % (name, message, offset))
        self.reason = message
        self.offset = offset


Info = namedtuple("Info", "producer device driver reason format time_ns page_size va_bits "
                  "roots mapped_bytes saved_bytes e_machine file_size segment_count "
                  "note_count blob_count")
Segment = namedtuple("Segment", "va pa size file_size file_offset p_flags perm pte_bits "
                     "state state_name align")
Note = namedtuple("Note", "name type data file_offset")
Format = namedtuple("Format", "name description page_size min_va_bits max_va_bits "
                    "default_va_bits max_roots")

_PRODUCERS = {0: "unknown", 1: "devsnap", 2: "asahi"}


def _segment_tuple(s):
    return Segment(s.va, s.pa, s.size, s.file_size, s.file_offset, s.p_flags, s.perm,
                   s.pte_bits, s.state, _text(s.state_name), s.align)


class Dump:
    """A dump opened by the C library: from a path (str, bytes or os.PathLike;
    nofollow refuses a symbolic link), an open file descriptor (int, which
    the caller still owns), or a dump's bytes in a bytearray or memoryview
    (copied: see from_bytes)."""

    def __init__(self, source, nofollow=False):
        self._handle = None
        err = _OpenError()
        opts = _OpenOptions(_OPEN_OPTIONS_VERSION, 0, ctypes.pointer(err))
        handle = _P()
        if isinstance(source, int):
            name = "fd %d" % source
            r = _open_fd(ctypes.byref(handle), source, ctypes.byref(opts))
        elif isinstance(source, (bytearray, memoryview)):
            name = "<memory>"
            data = bytes(source)
            opts.flags = _OPEN_COPY
            r = _open_memory(ctypes.byref(handle), data, len(data), ctypes.byref(opts))
        else:
            name = os.fsdecode(source)
            opts.flags = _OPEN_NOFOLLOW if nofollow else 0
            r = _open_path(ctypes.byref(handle), os.fsencode(source), ctypes.byref(opts))
        if r == -errno.EBADMSG and err.message:
            raise DumpError(name, err.message.decode(), err.offset)
        _check(r, name)
        self._handle = handle
        self.name = name

    @classmethod
    def from_bytes(cls, data):
        """Opens a dump held in memory; the library keeps its own copy."""
        return cls(bytearray(data))

    def close(self):
        if getattr(self, "_handle", None):
            _close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _h(self):
        if not self._handle:
            raise ValueError("I/O operation on a closed dump")
        return self._handle

    @property
    def info(self):
        """What the dump says about itself (an Info)."""
        i = _Info()
        _check(_get_info(self._h(), ctypes.byref(i)), self.name)
        return Info(_PRODUCERS.get(i.producer, "unknown"), _text(i.device), _text(i.driver),
                    _text(i.reason), _text(i.format), i.time_ns, i.page_size, i.va_bits,
                    list(i.roots[:i.nroots]), i.mapped_bytes, i.saved_bytes, i.e_machine,
                    i.file_size, i.segment_count, i.note_count, i.blob_count)

    def segments(self):
        """Every segment (a Segment), in ascending VA order."""
        out = []
        s = _Segment()
        for i in range(_segment_count(self._h())):
            _check(_segment(self._h(), i, ctypes.byref(s)), self.name)
            out.append(_segment_tuple(s))
        return out

    def lookup(self, va):
        """The Segment holding device VA va, or None if it is not mapped."""
        s = _Segment()
        r = _lookup_va(self._h(), va, ctypes.byref(s), None)
        if r == -errno.ENOENT:
            return None
        _check(r, self.name)
        return _segment_tuple(s)

    def overlap(self):
        """None when segments are disjoint; else the VAs of the first two
        segments (in VA order) that share an address, whose bytes there are
        ambiguous."""
        a, b = _u64(), _u64()
        if not _check(_overlap(self._h(), ctypes.byref(a), ctypes.byref(b)), self.name):
            return None
        return (a.value, b.value)

    def _read(self, fn, addr, size, what):
        buf = ctypes.create_string_buffer(size)
        n = fn(self._h(), addr, buf, size)
        _check(n, "%s: %s 0x%x" % (self.name, what, addr))
        return buf.raw[:n]

    def read(self, va, size):
        """The saved bytes at device VA va: size of them, or fewer where an
        unmapped or unsaved byte follows.  OSError ENOENT (not mapped) or
        ENODATA (not saved) when the first byte cannot be read."""
        return self._read(_read_va, va, size, "device VA")

    def read_pa(self, pa, size):
        """As read(), by physical address."""
        return self._read(_read_pa, pa, size, "PA")

    def notes(self):
        """Every ELF note (a Note: name, type, data bytes), in file order."""
        out = []
        n = _Note()
        for i in range(_note_count(self._h())):
            _check(_note(self._h(), i, ctypes.byref(n)), self.name)
            out.append(Note(_text(n.name), n.type, ctypes.string_at(n.data, n.size),
                            n.file_offset))
        return out

    def blobs(self):
        """The driver's saved blobs (firmware log, registers): {name: bytes}."""
        out = {}
        b = _Blob()
        for i in range(_blob_count(self._h())):
            _check(_blob(self._h(), i, ctypes.byref(b)), self.name)
            out[_text(ctypes.string_at(b.name, b.name_len))] = ctypes.string_at(b.data, b.size)
        return out


def formats():
    """The page-table formats the library knows (a list of Format)."""
    out = []
    i = 0
    while True:
        f = _format_at(i)
        if not f:
            return out
        lo, hi, dflt = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        _format_va_bits(f, ctypes.byref(lo), ctypes.byref(hi), ctypes.byref(dflt))
        out.append(Format(_text(_format_name(f)), _text(_format_description(f)),
                          _format_page_size(f), lo.value, hi.value, dflt.value,
                          _format_max_roots(f)))
        i += 1


def version():
    """The version of the libdevsnap loaded, as "0.1.0"."""
    return _version(None, None, None).decode()
