package dreamstudiotest

import (
	"encoding/binary"
	"hash/crc32"
	"io"
)

// pngSignature starts every PNG file.
const pngSignature = "\x89PNG\r\n\x1a\n"

// pngChunk is one chunk of one of the fake's own PNGs.
type pngChunk struct {
	typ    string
	data   []byte
	dataAt int    // offset of data in the file
	raw    []byte // length, type, data and CRC
}

// splitChunks splits a PNG the fake encoded itself, so it trusts the lengths.
func splitChunks(png []byte) []pngChunk {
	var cs []pngChunk
	for off := len(pngSignature); off+12 <= len(png); {
		n := int(binary.BigEndian.Uint32(png[off:]))
		cs = append(cs, pngChunk{
			typ:    string(png[off+4 : off+8]),
			data:   png[off+8 : off+8+n],
			dataAt: off + 8,
			raw:    png[off : off+12+n],
		})
		off += 12 + n
	}
	return cs
}

func firstChunk(png []byte, typ string) pngChunk {
	for _, c := range splitChunks(png) {
		if c.typ == typ {
			return c
		}
	}
	panic("dreamstudiotest: the fake's png has no " + typ)
}

// idatData is the data length of the full IDAT chunks of an Oversized answer, written
// zeroWrite bytes at a time.
const (
	idatData  = 1 << 20
	zeroWrite = 64 << 10
)

// oversized returns the length and the writer of a PNG with png's IHDR, then IDAT chunks of
// zeros, then IEND, size bytes in all (more when size is too small for that). The chunks are
// well formed, so a client can refuse it only for its size.
func oversized(png []byte, size int64, onWrite func(int64)) (int64, func(io.Writer) error) {
	head := append([]byte(pngSignature), splitChunks(png)[0].raw...)
	iend := png[len(png)-12:]
	size = max(size, int64(len(head)+12+len(iend)))
	write := func(w io.Writer) error {
		zeros := make([]byte, zeroWrite)
		var written int64
		put := func(b []byte) error {
			n, err := w.Write(b)
			written += int64(n)
			if onWrite != nil {
				onWrite(written)
			}
			return err
		}
		if err := put(head); err != nil {
			return err
		}
		for left := size - int64(len(head)+len(iend)); left > 0; {
			n := min(idatData, left-12)
			if rest := left - 12 - n; rest > 0 && rest < 12 {
				n -= 12 - rest // leave room for one more, empty, chunk
			}
			if err := writeZeroIDAT(put, zeros, int(n)); err != nil {
				return err
			}
			left -= 12 + n
		}
		return put(iend)
	}
	return size, write
}

// writeZeroIDAT writes an IDAT chunk of n zero bytes through put, from the buffer zeros.
func writeZeroIDAT(put func([]byte) error, zeros []byte, n int) error {
	head := binary.BigEndian.AppendUint32(nil, uint32(n))
	head = append(head, "IDAT"...)
	if err := put(head); err != nil {
		return err
	}
	crc := crc32.ChecksumIEEE(head[4:])
	for n > 0 {
		piece := zeros[:min(n, len(zeros))]
		if err := put(piece); err != nil {
			return err
		}
		crc = crc32.Update(crc, crc32.IEEETable, piece)
		n -= len(piece)
	}
	return put(binary.BigEndian.AppendUint32(nil, crc))
}
