#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Python binding (python/devsnap.py) on the demo dump: what it reads
is what `devsnap read` writes, segments are what `devsnap maps --json`
lists, and bad input raises the errors the C library returns.  Prints TAP.

    test_binding.py DEVSNAP   (with libdevsnap.so.0 and devsnap.py findable)
"""

import errno
import json
import os
import subprocess
import sys
import tempfile
import unittest

import devsnap

DEVSNAP = None  # the CLI, from argv
LOG_VA, HEAP_VA, MMIO_VA, HOLE_VA = 0x400000000000, 0x400004000000, 0x400000040000, 0x400000042000


def cli(*args):
    return subprocess.run([DEVSNAP, *args], check=True, stdout=subprocess.PIPE).stdout


class DemoDump(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.path = os.path.join(cls.tmp.name, "demo.core")
        cli("demo", "-q", "-o", cls.path)
        cls.dump = devsnap.Dump(cls.path)

    @classmethod
    def tearDownClass(cls):
        cls.dump.close()
        cls.tmp.cleanup()

    def test_info(self):
        info = self.dump.info
        self.assertEqual(info.producer, "devsnap")
        self.assertEqual(info.device, "demo-gpu")
        self.assertEqual(info.driver, "devsnap-demo")
        self.assertEqual(info.format, "arm64-4k")
        self.assertEqual(info.page_size, 4096)
        self.assertEqual(info.segment_count, 9)
        self.assertEqual(info.file_size, os.path.getsize(self.path))

    def test_segments_are_what_maps_lists(self):
        maps = json.loads(cli("maps", "--json", self.path))
        segs = self.dump.segments()
        self.assertEqual(len(segs), 9)
        self.assertEqual(len(segs), len(maps))
        for seg, row in zip(segs, maps):
            self.assertEqual(seg.va, int(row["va"], 16))
            self.assertEqual(seg.pa, int(row["pa"], 16))
            self.assertEqual(seg.size, row["size"])
            self.assertEqual(seg.pte_bits, int(row["pte_bits"], 16))
            self.assertEqual(seg.state_name, "saved" if row["saved"] else row["skipped"])
            self.assertEqual(seg.align, row["page_size"])
        self.assertIsNone(self.dump.overlap())

    def test_read_is_what_devsnap_read_writes(self):
        for va, size in ((LOG_VA, 8192), (LOG_VA + 100, 37), (HEAP_VA, 2 << 20)):
            with self.subTest(va=hex(va)):
                self.assertEqual(self.dump.read(va, size), cli("read", self.path, hex(va),
                                                               str(size)))
        self.assertTrue(self.dump.read(LOG_VA, 64).startswith(b"[    0.000000] fw: boot"))

    def test_short_read_and_errors(self):
        self.assertEqual(len(self.dump.read(LOG_VA + 8192 - 10, 100)), 10)
        with self.assertRaises(OSError) as e:
            self.dump.read(MMIO_VA, 16)
        self.assertEqual(e.exception.errno, errno.ENODATA)
        with self.assertRaises(OSError) as e:
            self.dump.read(0x1000, 16)
        self.assertEqual(e.exception.errno, errno.ENOENT)

    def test_lookup(self):
        seg = self.dump.lookup(MMIO_VA + 0x10)
        self.assertEqual(seg.va, MMIO_VA)
        self.assertEqual(seg.file_size, 0)
        self.assertEqual(seg.state_name, "device-memory")
        self.assertEqual(self.dump.lookup(HOLE_VA).state_name, "not-ram")
        self.assertIsNone(self.dump.lookup(0x1000))

    def test_read_pa_and_notes(self):
        log = self.dump.lookup(LOG_VA)
        self.assertEqual(self.dump.read_pa(log.pa, 64), self.dump.read(LOG_VA, 64))
        self.assertEqual([(n.name, n.type) for n in self.dump.notes()],
                         [("DEVSNAP", 0x44530001), ("DEVSNAP", 0x44530002)])

    def test_overlap_names_the_first_two_segments_sharing_a_va(self):
        data = bytearray(open(self.path, "rb").read())
        phoff = int.from_bytes(data[32:40], "little")
        loads = [phoff + 56 * i for i in range(int.from_bytes(data[56:58], "little"))
                 if int.from_bytes(data[phoff + 56 * i:phoff + 56 * i + 4], "little") == 1]
        first = self.dump.segments()[0].va
        data[loads[1] + 16:loads[1] + 24] = first.to_bytes(8, "little")  # p_vaddr
        with devsnap.Dump.from_bytes(data) as dump:
            self.assertEqual(dump.overlap(), (first, first))

    def test_fd_and_memory_open_the_same_dump(self):
        with open(self.path, "rb") as f:
            with devsnap.Dump(f.fileno()) as by_fd:
                self.assertEqual(by_fd.read(LOG_VA, 64), self.dump.read(LOG_VA, 64))
            data = open(self.path, "rb").read()
        with devsnap.Dump.from_bytes(data) as in_memory:
            self.assertEqual(in_memory.read(HEAP_VA, 4096), self.dump.read(HEAP_VA, 4096))


class BadInput(unittest.TestCase):
    def test_truncated_dump_says_why(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "demo.core")
            cli("demo", "-q", "-o", path)
            data = open(path, "rb").read()
        with self.assertRaises(devsnap.DumpError) as e:
            devsnap.Dump.from_bytes(data[: len(data) // 2])
        self.assertEqual(e.exception.errno, errno.EBADMSG)
        self.assertEqual(e.exception.reason, "segment data runs past the end of the file")
        with self.assertRaises(devsnap.DumpError) as e:
            devsnap.Dump.from_bytes(b"")
        self.assertEqual(e.exception.reason, "empty file")

    def test_missing_file_and_symlink(self):
        with self.assertRaises(FileNotFoundError):
            devsnap.Dump("/nonexistent/dump")
        with tempfile.TemporaryDirectory() as tmp:
            os.symlink("/nonexistent/dump", os.path.join(tmp, "link"))
            with self.assertRaises(OSError) as e:
                devsnap.Dump(os.path.join(tmp, "link"), nofollow=True)
            self.assertEqual(e.exception.errno, errno.ELOOP)

    def test_closed_dump(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "demo.core")
            cli("demo", "-q", "-o", path)
            dump = devsnap.Dump(path)
        dump.close()
        with self.assertRaises(ValueError):
            dump.read(LOG_VA, 1)


class Library(unittest.TestCase):
    def test_formats_and_version(self):
        names = [f.name for f in devsnap.formats()]
        self.assertIn("arm64-4k", names)
        self.assertIn("dart", names)
        self.assertEqual(cli("--version").split()[-1].decode(), devsnap.version())


class TapResult(unittest.TestResult):
    """One TAP line per test, so meson counts each."""

    def __init__(self):
        super().__init__()
        self.n = 0

    def _line(self, test, ok, why=""):
        self.n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, test.id()))
        for line in why.splitlines():
            print("# " + line)

    def addSuccess(self, test):
        self._line(test, True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(test, False, self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self._line(test, False, self._exc_info_to_string(err, test))

    def addSubTest(self, test, subtest, err):
        if err is not None:
            super().addSubTest(test, subtest, err)
            self._line(subtest, False, self._exc_info_to_string(err, test))


if __name__ == "__main__":
    DEVSNAP = sys.argv[1]
    result = TapResult()
    unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__]).run(result)
    print("1..%d" % result.n)
    sys.exit(0 if result.wasSuccessful() else 1)
