#!/usr/bin/env python3
"""Writes the fixtures in testdata/encodings/ from the AWS reference examples: files as other tools
write them (Windows PowerShell's `>`, Python's zipfile streaming zip64, Info-ZIP from a macOS folder),
so that the readers in src/parsing are not only tested on what fflate writes.
Kept for reproducibility: `python3 testdata/encodings/make-encoding-fixtures.py` (Info-ZIP's `zip` on PATH).
"""
import glob
import gzip
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
ref = os.path.join(here, '..', 'aws-reference')
examples = [json.load(open(f, encoding='utf-8')) for f in sorted(glob.glob(os.path.join(ref, '*.json')))]
lines = [json.dumps(e, separators=(',', ':'), ensure_ascii=False) for e in examples]
first, rest = '\n'.join(lines[:11]) + '\n', '\n'.join(lines[11:]) + '\n'


def out(name, data):
    with open(os.path.join(here, name), 'wb') as f:
        f.write(data)


# Windows PowerShell 5.1: `Get-Content entries.json > copy.json` writes UTF-16 LE with a BOM and CRLF.
out('powershell-utf16le.json', b'\xff\xfe' + ''.join(line + '\r\n' for line in lines).encode('utf-16-le'))


class Unseekable(io.RawIOBase):
    """A pipe: zipfile then writes data descriptors after each file (flag bit 3)."""

    def __init__(self):
        self.buf = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.buf += b
        return len(b)


# Python's zipfile to a pipe, zip64 forced: sizes after the data, zip64 extra fields and end records.
pipe = Unseekable()
with zipfile.ZipFile(pipe, 'w', compression=zipfile.ZIP_DEFLATED) as z:
    with z.open('logs/first.json', 'w', force_zip64=True) as f:
        f.write(first.encode())
    with z.open('logs/rest.json.gz', 'w', force_zip64=True) as f:
        f.write(gzip.compress(rest.encode(), mtime=0))
out('python-streamed-zip64.zip', bytes(pipe.buf))

# Info-ZIP from a folder copied off a Mac: a directory, __MACOSX/ resource forks, .DS_Store.
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, 'export')
    os.makedirs(os.path.join(src, 'day1'))
    os.makedirs(os.path.join(tmp, '__MACOSX', 'export', 'day1'))
    open(os.path.join(src, '.DS_Store'), 'wb').write(b'\0\0\0\1Bud1' + b'\0' * 40)
    open(os.path.join(src, 'day1', 'a.json'), 'w', encoding='utf-8').write(first)
    open(os.path.join(src, 'day1', 'b.json'), 'wb').write(b'\xff\xfe' + rest.encode('utf-16-le'))
    open(os.path.join(tmp, '__MACOSX', 'export', 'day1', '._a.json'), 'wb').write(b'\0\5\26\7' + b'\0' * 60)
    for path in glob.glob(os.path.join(tmp, '**'), recursive=True, include_hidden=True):
        os.utime(path, (1700000000, 1700000000))
    target = os.path.join(tmp, 'out.zip')
    subprocess.run(['zip', '-q', '-X', '-r', '-D', target, 'export', '__MACOSX'], cwd=tmp, check=True)
    # -D leaves directory entries out; add the one directory as macOS's Archive Utility would list it.
    subprocess.run(['zip', '-q', '-X', target, 'export/day1/'], cwd=tmp, check=True)
    shutil.copy(target, os.path.join(here, 'infozip-macos-folder.zip'))
    # Info-ZIP with zip64 forced (`-fz`): sizes in zip64 extra fields, the directory found through the zip64 end records.
    target = os.path.join(tmp, 'zip64.zip')
    subprocess.run(['zip', '-q', '-X', '-fz', target, 'export/day1/a.json', 'export/day1/b.json'], cwd=tmp, check=True)
    shutil.copy(target, os.path.join(here, 'infozip-zip64.zip'))
