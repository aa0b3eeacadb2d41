"""Writing one Whoosh segment from documents analysed in this process, in Whoosh's own format.

Whoosh's ``SegmentWriter`` sends every posting of every field through a sorting pool (one
Python tuple each, spilled to disk and merged back) and, when it writes a posting list,
reads the document's length from a column once per posting.  That was three quarters of
indexing time.  Here a worker keeps each field's term counts in flat arrays, sorts them
once with NumPy when the segment is finished, and hands whole blocks to the W3 codec's
writers with the lengths at hand.  Terms are counted straight from the segmented forms
(``index.analysis.term_counts``, equal to what each field's analyzer yields: tests compare
them), so the one analysis pipeline decides what is indexed, without a Token per term.

What lands on disk is the W3 codec's format, read by plain ``whoosh.index.open_dir``; the
segment's codec is Whoosh's own ``W3Codec``.  The posting lists of rare terms are kept in the
term table (see ``INLINE_LIMIT``).
"""
from __future__ import annotations

import struct
import zlib
from array import array
from collections import Counter
from hashlib import md5
from itertools import repeat
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3PostingsWriter, W3TermInfo
from whoosh.filedb.filetables import _lengths as _RECORD_LENGTHS
from whoosh.formats import Frequency, tokens
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte

from index.analysis import term_counts

# Posting lists of a counted field (Whoosh's ``Frequency``) with at most this many documents
# are kept in the term table itself, as Whoosh's ``W3TermInfo`` inlines them: about half of
# all terms occur in one article, and a posting list of its own costs such a term ~90 bytes
# (block length, pickled block info, zlib-compressed pickle) against ~25 inlined.  Fields
# without values (ids, keywords) are never inlined: Whoosh's ``ListMatcher`` gives their
# inlined postings the value '' (a str), which its merge (MERGE_SMALL) then refuses
# ("vbytes=''"); tests/test_indexing.py commits one article at a time to check.
INLINE_LIMIT = 4
_PACKED_FREQ = [pack_uint(i) for i in range(256)]


def _freq_bytes(freq: int) -> bytes:
    """The value Whoosh's ``Frequency`` format stores beside each posting."""
    return _PACKED_FREQ[freq] if freq < 256 else pack_uint(freq)


class _CountedField:
    """The postings of a field whose format only counts terms (Whoosh's ``Frequency``)."""

    __slots__ = ("term_ids", "terms", "docs", "freqs")

    def __init__(self):
        self.term_ids: dict[str, int] = {}
        self.terms = array("I")
        self.docs = array("I")
        self.freqs = array("I")

    def add(self, docnum: int, counts: Counter) -> None:
        ids = self.term_ids
        known = list(map(ids.get, counts))
        if None in known:
            known = [ids.setdefault(t, len(ids)) for t in counts]
        self.terms.extend(known)
        self.docs.extend(repeat(docnum, len(counts)))
        self.freqs.extend(counts.values())

    def __len__(self):
        return len(self.docs)

    def sorted_postings(self, boost: float, lengths: np.ndarray):
        """Yield (term bytes, docnums, weights, frequencies, field lengths) in term order."""
        names = list(self.term_ids)
        order = sorted(range(len(names)), key=names.__getitem__)
        rank = np.empty(len(names), np.int64)
        rank[order] = np.arange(len(names))
        keys = rank[np.frombuffer(self.terms, np.uint32)]
        perm = np.argsort(keys, kind="stable")  # documents stay in docnum order within a term
        docs = np.frombuffer(self.docs, np.uint32)[perm]
        lens = lengths[docs].tolist()
        docs = docs.tolist()
        freqs = np.frombuffer(self.freqs, np.uint32)[perm].tolist()
        bounds = np.concatenate(([0], np.cumsum(np.bincount(keys, minlength=len(names))))).tolist()
        for r, i in enumerate(order):
            a, b = bounds[r], bounds[r + 1]
            fs = freqs[a:b]
            yield names[i].encode("utf-8"), docs[a:b], fs if boost == 1.0 else [f * boost for f in fs], fs, lens[a:b]


class _GenericField:
    """The postings of any other field (ids, dates, numbers): few per document."""

    __slots__ = ("items",)

    def __init__(self):
        self.items: list[tuple[bytes, int, float, bytes]] = []

    def add(self, docnum: int, items) -> None:
        self.items.extend((tbytes, docnum, weight, vbytes) for tbytes, _freq, weight, vbytes in items)

    def __len__(self):
        return len(self.items)

    def sorted_postings(self, boost: float, lengths: np.ndarray):
        self.items.sort(key=lambda x: (x[0], x[1]))
        i, items = 0, self.items
        while i < len(items):
            tbytes = items[i][0]
            j = i
            while j < len(items) and items[j][0] == tbytes:
                j += 1
            run = items[i:j]
            ids = [x[1] for x in run]
            yield tbytes, ids, [x[2] for x in run], [x[3] for x in run], lengths[ids].tolist()  # values as given
            i = j


_TERMINFO = W3TermInfo._struct
_LENGTH_BYTES = bytes(length_to_byte(n) for n in range(1 << 16))


def _length_byte(n: int) -> int:
    """``whoosh.util.numeric.length_to_byte``, by table for the common lengths."""
    return _LENGTH_BYTES[n] if n < 65536 else length_to_byte(n)


_INT = struct.Struct("<i")
_FLOAT = struct.Struct(">d")
_TUPLE_END = {0: b")", 1: b"\x85", 2: b"\x86", 3: b"\x87"}


def _pickled_items(items) -> bytes:
    """Pickle opcodes of a tuple of small ints, floats or short bytes, without memo entries."""
    out = []
    for x in items:
        if type(x) is int:
            out.append(b"K" + bytes((x,)) if x < 256 else
                       b"M" + x.to_bytes(2, "little") if x < 65536 else b"J" + _INT.pack(x))
        elif type(x) is float:
            out.append(b"G" + _FLOAT.pack(x))
        else:
            out.append(b"C" + bytes((len(x),)) + x)
    end = _TUPLE_END.get(len(items))
    return b"".join(out) + end if end else b"(" + b"".join(out) + b"t"


def _pickled(ids, weights, values) -> bytes:
    """``pickle.dumps((tuple(ids), tuple(weights), tuple(values)), 3)`` less its memo opcodes,
    which nothing reads: 25 bytes for a term in one document instead of 35, on half of all
    terms.  ``pickle.loads`` gives the very same tuples (a test compares them)."""
    if (len(ids) > 4 or any(type(x) is not int or not 0 <= x < 2**31 for x in ids)
            or any(type(w) is not float for w in weights) or any(type(v) is not bytes or len(v) > 255 for v in values)):
        return dumps((tuple(ids), tuple(weights), tuple(values)), 3)  # what the short forms do not cover
    return b"\x80\x03" + _pickled_items(ids) + _pickled_items(weights) + _pickled_items(values) + b"\x87."


_ONE_TAIL: dict[tuple[bytes, bytes], bytes] = {}  # a posting's weight (packed) and value → the opcodes after its id


def _pickled_one(docnum: int, weight: float, value: bytes) -> bytes:
    """``_pickled((docnum,), (weight,), (value,) if value else ())``, the case of half of all
    terms, with the opcodes after the document number kept per (weight, value)."""
    if type(docnum) is not int or not 0 <= docnum < 2**31 or type(weight) is not float:
        return _pickled((docnum,), (weight,), (value,) if value else ())
    key = (_FLOAT.pack(weight), value)  # packed: 0.0 and -0.0 differ, a NaN is one key
    tail = _ONE_TAIL.get(key)
    if tail is None:
        tail = _pickled((0,), (weight,), (value,) if value else ())[4:]  # after PROTO and K 0
        if len(_ONE_TAIL) < 4096:
            _ONE_TAIL[key] = tail
    head = (b"\x80\x03K" + bytes((docnum,)) if docnum < 256 else
            b"\x80\x03M" + docnum.to_bytes(2, "little") if docnum < 65536 else b"\x80\x03J" + _INT.pack(docnum))
    return head + tail


def _inlined_terminfo(ids, weights, values, lengths) -> bytes:
    """``W3TermInfo.to_bytes()`` of a short posting list kept in the term table.

    Built directly, without a ``W3TermInfo`` and a block writer: most terms are rare and
    this is the one step done once per term.
    """
    if len(ids) == 1:  # half of all terms
        d, w, n = ids[0], float(weights[0]), lengths[0]
        b = _length_byte(n) if n else 0
        return _TERMINFO.pack(True, w, 1, b, b, w, d, d) + _pickled_one(d, w, values[0])
    present = [n for n in lengths if n]
    head = _TERMINFO.pack(
        True, float(sum(weights)), len(ids),
        _length_byte(min(present)) if present else 0, _length_byte(max(lengths)),
        float(max(weights)), ids[0], ids[-1],
    )
    # Whoosh pickles these with protocol 2, which spells each value (bytes) as a call to
    # codecs.encode: 74 bytes for one posting.  Protocol 3 writes bytes as they are; Whoosh
    # reads either with pickle.loads.
    return head + _pickled(ids, [float(w) for w in weights], [v for v in values if v])


def _md5_hash(key: bytes) -> int:
    """``whoosh.filedb.filetables.md5_hash``, without its hex round trip."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")


def _add_terms(table, entries) -> None:
    """``OrderedHashWriter.add`` for many (key, value) pairs in order, in one loop."""
    dbfile, index, buckets = table.dbfile, table.index, table.buckets
    pos = dbfile.tell()
    pack = _RECORD_LENGTHS.pack
    for key, value in entries:
        record = pack(len(key), len(value)) + key + value
        dbfile.write(record)
        index.append(pos)
        h = _md5_hash(key)
        buckets[h & 255].append((h, pos))
        pos += len(record)
        table.lastkey = key


class _BlockPostingsWriter(W3PostingsWriter):
    """The W3 postings writer, fed a whole posting list at once instead of posting by posting."""

    def write_term(self, format_, ids, weights, values, lengths) -> bytes:
        """The term table entry of a posting list (its postings written first if not inlined)."""
        counted = values and isinstance(values[0], int)  # frequencies of a counted field
        if counted:
            if len(ids) <= INLINE_LIMIT:
                return _inlined_terminfo(ids, weights, [_freq_bytes(f) for f in values], lengths)
            return self._counted_blocks(ids, weights, values, lengths)
        terminfo = W3TermInfo()
        self.start_postings(format_, terminfo)
        limit = self._blocklimit
        for a in range(0, len(ids), limit):
            self._set_block(ids[a:a + limit], weights[a:a + limit], values[a:a + limit], lengths[a:a + limit])
            self._write_block(last=a + limit >= len(ids))
        return self.finish_postings().to_bytes()

    def _counted_blocks(self, ids, weights, freqs, lengths) -> bytes:
        """The posting list of a counted field, block by block: the bytes and term info Whoosh's
        ``W3PostingsWriter`` writes when fed the postings one by one (a test compares them),
        without its per-posting and per-block method calls: most postings are written here."""
        postfile, limit, comp = self._postfile, self._blocklimit, self._compression
        start = postfile.tell()
        postfile.write(WHOOSH3_HEADER_MAGIC)
        n = len(ids)
        total, minlength, maxlength, maxweight = 0.0, None, 0, 0
        for a in range(0, n, limit):
            b = min(a + limit, n)
            block_ids, block_lengths = ids[a:b], lengths[a:b]
            block_weights = array("f", weights[a:b])
            total += sum(block_weights)
            present = [x for x in block_lengths if x]
            low = min(present) if present else None
            high, top = max(block_lengths), max(weights[a:b])
            minlength = low if minlength is None else min(minlength, low)
            maxlength, maxweight = max(maxlength, high), max(maxweight, top)
            first = block_weights[0]
            data = dumps((
                (block_ids[0], *np.diff(block_ids).tolist()),  # W3PostingsWriter._mini_ids
                None if first == 1.0 and block_weights.count(first) == b - a else  # ._mini_weights
                first if block_weights.count(first) == b - a else tuple(block_weights),
                np.array(freqs[a:b], dtype=">u4").tobytes(),  # ._mini_values of fixed-size values
            ), 2)
            if comp:
                data = zlib.compress(data, comp)
            info = dumps((b - a, block_ids[-1], top, comp, length_to_byte(low), length_to_byte(high)), 2)
            postfile.write(pack_int(-(len(info) + len(data)) if b == n else len(info) + len(data)))
            postfile.write(info)
            postfile.write(data)
        head = _TERMINFO.pack(False, total, n, 0 if minlength is None else _length_byte(minlength),
                              _length_byte(maxlength), maxweight, ids[0], ids[-1])
        return head + pack_long(start) + pack_int(postfile.tell() - start)

    def _set_block(self, ids, weights, values, lengths) -> None:
        self._ids = array("I", ids)
        self._weights = array("f", weights)
        self._values = [v for v in values if v]  # as W3PostingsWriter.add_posting keeps them
        present = [n for n in lengths if n]
        self._minlength = min(present) if present else None
        self._maxlength = max(lengths) if lengths else 0
        self._maxweight = max(weights) if weights else 0


class SegmentBuilder:
    """One new segment of an index, written from whole documents by one process.

    ``add_document`` takes the same keyword arguments as Whoosh's ``add_document``;
    ``finish`` writes the postings and returns the segment, for the index's next commit.
    """

    def __init__(self, storage, indexname: str, schema):
        self.codec = W3Codec()
        self.storage = storage
        self.schema = schema
        self.segment = self.codec.new_segment(storage, indexname)
        self.perdoc = self.codec.per_document_writer(storage, self.segment)
        self.docnum = 0
        self.postings = 0
        self._fields: dict[str, _CountedField | _GenericField] = {}
        self._lengths: dict[str, array] = {}

    def add_document(self, **fields) -> None:
        """Add one document (field values as for ``IndexWriter.add_document``)."""
        perdoc, docnum = self.perdoc, self.docnum
        perdoc.start_doc(docnum)
        for name in sorted(k for k in fields if not k.startswith("_")):
            value = fields[name]
            if value is None:
                continue
            field = self.schema[name]
            length = 0
            if field.indexed:
                length = self._index(name, field, value, docnum)
            custom = fields.get("_stored_" + name, value)
            perdoc.add_field(name, field, custom if field.stored else None, length)
            if field.column_type and custom is not None:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(custom))
        perdoc.finish_doc()
        self.docnum += 1

    def _index(self, name: str, field, value, docnum: int) -> int:
        postings = self._fields.get(name)
        if type(field.format) is Frequency:
            counts = term_counts(field.analyzer, value)
            if counts is None:
                counts = Counter(t.text for t in tokens(value, field.analyzer, {"mode": "index", "boosts": True}))
            if postings is None:
                postings = self._fields[name] = _CountedField()
            postings.add(docnum, counts)
            length = sum(counts.values()) if field.scorable else 0
            n = len(counts)
        else:
            items = list(field.index(value))
            if postings is None:
                postings = self._fields[name] = _GenericField()
            postings.add(docnum, items)
            length = sum(x[1] for x in items) if field.scorable else 0
            n = len(items)
        self.postings += n
        if length:
            lengths = self._lengths.get(name)
            if lengths is None:
                lengths = self._lengths[name] = array("I")
            lengths.extend(repeat(0, docnum + 1 - len(lengths)))
            lengths[docnum] = length
        return length

    def finish(self):
        """Write the posting lists and the term table, close the files, return the segment."""
        self.perdoc.close()  # also stores the exact field-length totals in the segment
        fieldwriter = self.codec.field_writer(self.storage, self.segment)
        try:
            for name in sorted(self._fields):
                field = self.schema[name]
                fieldwriter.start_field(name, field)
                pw = _BlockPostingsWriter(fieldwriter._postfile, blocklimit=self.codec._blocklimit,
                                          compression=self.codec._compression)
                pw._format = field.format
                lengths = np.zeros(self.docnum, np.uint32)
                known = np.frombuffer(self._lengths.get(name, array("I")), np.uint32)
                lengths[:len(known)] = known
                prefix = pack_ushort(fieldwriter._fieldid)
                fmt = field.format
                _add_terms(fieldwriter._tindex, (
                    (prefix + tbytes, pw.write_term(fmt, ids, weights, values, lens))
                    for tbytes, ids, weights, values, lens in self._fields[name].sorted_postings(fmt.field_boost, lengths)
                ))
                fieldwriter.finish_field()
        finally:
            fieldwriter.close()
        self._fields.clear()
        self.segment.set_doc_count(self.docnum)
        if self.segment.should_assemble():
            self.segment.create_compound_file(self.storage)
            self.segment.compound = True
        return self.segment

    def cancel(self) -> None:
        """Give up this segment: close its files (any left are removed by the next commit)."""
        self._fields.clear()
        cols = getattr(self.perdoc, "_cols", None)  # the column writer's temporary file
        if cols is not None and not self.perdoc.is_closed:
            cols._temp.close()
            try:
                cols._tempstorage.delete_file(cols._tempname)
            except OSError:
                pass
