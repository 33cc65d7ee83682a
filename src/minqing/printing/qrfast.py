"""QR codes for thousands of cards: byte mode, fixed version and mask, ~50 µs per code.

Every household card carries its own code (the household's code is in the vCard), so a
batch of 3,690 cards needs 3,690 codes; `qrcode` takes ~3 ms each. With the version, the
error-correction level and the mask fixed, a code's modules are an XOR-linear function of
its data codewords: modules = blank ⊕ Σ pattern(position, value), where each pattern is the
codeword's own eight modules plus the error-correction modules it changes (Reed–Solomon is
linear too). The patterns are Python integers (one bit per module, rows padded to whole
bytes), built lazily and cached, so a code costs a hundred integer XORs and its bytes are
a ready 1-bit image. `qrcode` still draws the function patterns and format information
(the blank), and a test checks the result against `qrcode` module by module.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import qrcode
from qrcode.base import rs_blocks
from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M

FIXED_MASK = 4
LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M}

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@functools.cache
def _generator(degree: int) -> tuple[int, ...]:
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coef in enumerate(poly):
            nxt[j] ^= coef
            nxt[j + 1] ^= _gf_mul(coef, _EXP[i])
        poly = nxt
    return tuple(poly)


def _ecc(data: list[int], degree: int) -> list[int]:
    gen = _generator(degree)
    rem = list(data) + [0] * degree
    for i in range(len(data)):
        coef = rem[i]
        if coef:
            for j in range(1, degree + 1):
                rem[i + j] ^= _gf_mul(gen[j], coef)
    return rem[len(data) :]


@functools.cache
def capacity(version: int, level: str) -> int:
    """Bytes a byte-mode code of this version and level holds."""
    data = sum(b.data_count for b in rs_blocks(version, LEVELS[level]))
    header = 4 + (8 if version < 10 else 16)
    return (data * 8 - header) // 8


@functools.cache
def smallest_version(length: int, level: str) -> int:
    for version in range(1, 41):
        if capacity(version, level) >= length:
            return version
    raise ValueError("QR payload too long")


class _Blank(qrcode.QRCode):  # type: ignore[misc]
    """Records the data modules' walk order and leaves them at 'data bit 0' (= the mask)."""

    order: list[tuple[int, int]]

    def map_data(self, data: list[int], mask_pattern: int) -> None:
        n = self.modules_count
        order = []
        row, inc = n - 1, -1
        for col in range(n - 1, 0, -2):
            if col <= 6:
                col -= 1
            while True:
                for c in (col, col - 1):
                    if self.modules[row][c] is None:
                        order.append((row, c))
                row += inc
                if row < 0 or row >= n:
                    row -= inc
                    inc = -inc
                    break
        self.order = order
        super().map_data([0] * len(data), mask_pattern)


@dataclass
class Encoder:
    """Codes of one version and level; `image(payload)` → (modules per side, 1-bit rows)."""

    version: int
    level: str
    size: int = 0
    stride: int = 0
    blank: int = 0
    data_count: int = 0
    _bits: list[int] = field(default_factory=list)
    _data_pos: list[int] = field(default_factory=list)  # data codeword j → stream index
    _ecc_pos: list[list[int]] = field(default_factory=list)  # per data codeword j: its block's
    _unit: list[list[int]] = field(default_factory=list)  # ECC of e_j within its block
    _cw: dict[tuple[int, int], int] = field(default_factory=dict)
    _pattern: dict[tuple[int, int], int] = field(default_factory=dict)
    _last: tuple[int, bytes] = (0, b"")

    def __post_init__(self) -> None:
        probe = _Blank(
            version=self.version,
            error_correction=LEVELS[self.level],
            border=0,
            mask_pattern=FIXED_MASK,
        )
        probe.add_data(b"")
        probe.make(fit=False)
        n = self.size = probe.modules_count
        self.stride = (n + 7) // 8 * 8
        self.blank = 0
        for r, row in enumerate(probe.modules):
            for c, dark in enumerate(row):
                if dark:
                    self.blank |= self._bit(r, c)
        self._bits = [self._bit(r, c) for r, c in probe.order]
        blocks = rs_blocks(self.version, LEVELS[self.level])
        self.data_count = sum(b.data_count for b in blocks)
        # interleaving: data codewords column by column across blocks, then the ECC ones
        data_at: dict[tuple[int, int], int] = {}
        index = 0
        for i in range(max(b.data_count for b in blocks)):
            for b, block in enumerate(blocks):
                if i < block.data_count:
                    data_at[b, i] = index
                    index += 1
        ecc_at: dict[tuple[int, int], int] = {}
        for i in range(max(b.total_count - b.data_count for b in blocks)):
            for b, block in enumerate(blocks):
                if i < block.total_count - block.data_count:
                    ecc_at[b, i] = index
                    index += 1
        for b, block in enumerate(blocks):
            degree = block.total_count - block.data_count
            ecc_positions = [ecc_at[b, i] for i in range(degree)]
            for i in range(block.data_count):
                unit = [0] * block.data_count
                unit[i] = 1
                self._data_pos.append(data_at[b, i])
                self._ecc_pos.append(ecc_positions)
                self._unit.append(_ecc(unit, degree))
        # data codewords j are numbered block by block, as the stream is before interleaving
        self._last = (self.blank, bytes(self.data_count))

    def _bit(self, r: int, c: int) -> int:
        return 1 << ((self.size - 1 - r) * self.stride + (self.stride - 1 - c))

    def _codeword(self, index: int, value: int) -> int:
        key = (index, value)
        found = self._cw.get(key)
        if found is None:
            found = 0
            base = index * 8
            for i in range(8):
                if value & (0x80 >> i):
                    found |= self._bits[base + i]
            self._cw[key] = found
        return found

    def _pattern_of(self, j: int, value: int) -> int:
        key = (j, value)
        found = self._pattern.get(key)
        if found is None:
            found = self._codeword(self._data_pos[j], value)
            for pos, coef in zip(self._ecc_pos[j], self._unit[j], strict=True):
                if coef:
                    found ^= self._codeword(pos, _gf_mul(coef, value))
            self._pattern[key] = found
        return found

    def codewords(self, payload: bytes) -> bytes:
        """Byte mode, terminator, padding to the version's data codewords."""
        count_bits = 8 if self.version < 10 else 16
        total = self.data_count * 8
        acc = (0b0100 << count_bits) | len(payload)
        acc = (acc << (8 * len(payload))) | int.from_bytes(payload, "big")
        used = 4 + count_bits + 8 * len(payload)
        if used > total:
            raise ValueError("QR payload too long for this version")
        tail = min(4, total - used)
        used += tail
        tail += (-used) % 8
        used += (-used) % 8
        acc <<= tail
        out = acc.to_bytes(used // 8, "big")
        pad = (self.data_count - len(out)) // 2 + 1
        return out + (b"\xec\x11" * pad)[: self.data_count - len(out)]

    def modules(self, payload: bytes) -> int:
        """From the previous code: cards in address order differ in a few codewords only."""
        words = self.codewords(payload)
        value, before = self._last
        pattern = self._pattern_of
        for j, (new, old) in enumerate(zip(words, before, strict=True)):
            if new != old:
                value ^= pattern(j, new ^ old)
        self._last = (value, words)
        return value

    def image(self, payload: bytes) -> bytes:
        """Rows top to bottom, each padded to whole bytes, most significant bit = left, 1 = dark."""
        return self.modules(payload).to_bytes(self.size * self.stride // 8, "big")


@functools.cache
def encoder(version: int, level: str) -> Encoder:
    return Encoder(version, level)
