package dreamstudiotest

import "fmt"

// Damage is what becomes of a generated PNG on its way to the client.
type Damage int

const (
	// Truncated cuts the PNG in the middle of its image data. With a Content-Length, the header
	// matches the cut body, so only the PNG itself shows the loss.
	Truncated Damage = iota + 1
	// BadCRC changes one byte of the image data, so the chunk's CRC no longer matches.
	BadCRC
	// NoIEND leaves out the IEND chunk that ends every PNG.
	NoIEND
	// NoIDAT leaves out the chunks that hold the image data.
	NoIDAT
	// Oversized sends a PNG of ImageFault.Size bytes: well-formed chunks, the image data in
	// many IDAT chunks of zeros, streamed so that the fake holds almost none of it.
	Oversized
)

func (d Damage) String() string {
	switch d {
	case Truncated:
		return "Truncated"
	case BadCRC:
		return "BadCRC"
	case NoIEND:
		return "NoIEND"
	case NoIDAT:
		return "NoIDAT"
	case Oversized:
		return "Oversized"
	}
	return fmt.Sprintf("Damage(%d)", int(d))
}

// DefaultOversize is the length of an Oversized answer whose ImageFault.Size is 0: more than
// package dreamstudio's 50 MiB limit.
const DefaultOversize = 64 << 20

// ImageFault damages the PNG of image/png generation answers, and of v2beta image/* answers
// (generations and upscales); JSON answers are left alone and leave the fault queued. The generation itself happens and counts in Generations, as the
// real API charges for an image whatever becomes of it on the way.
type ImageFault struct {
	Damage Damage
	// Chunked sends the answer without Content-Length, in chunked transfer encoding, as a proxy
	// might. The API description requires a Content-Length on a PNG answer; the fake checks its
	// answer against the description before damaging it.
	Chunked bool
	// Size is the length of an Oversized answer; 0 means DefaultOversize.
	Size int64
	// OnWrite, when set, is called on the handler's goroutine after each write of an Oversized
	// answer with the bytes written so far: for tests that measure what the client holds while
	// a large answer arrives. Calls for concurrent answers may overlap.
	OnWrite func(written int64)
	// Times is how many answers the fault damages: Always for every one, 0 counts as 1.
	Times int
}

// AddImageFault queues f. Queued image faults damage answers in the order they were added, each
// until its Times is used up; ClearFaults removes them too.
func (s *Server) AddImageFault(f ImageFault) {
	s.tb.Helper()
	if f.Damage < Truncated || f.Damage > Oversized {
		s.tb.Errorf("dreamstudiotest: AddImageFault: unknown Damage %d", f.Damage)
		return
	}
	if f.Times == 0 {
		f.Times = 1
	}
	if f.Size == 0 {
		f.Size = DefaultOversize
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.imageFaults = append(s.imageFaults, &f)
}

// takeImageFault returns the first queued image fault, using up one of its Times, or nil.
func (s *Server) takeImageFault() *ImageFault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.imageFaults) == 0 {
		return nil
	}
	f := *s.imageFaults[0]
	if s.imageFaults[0].Times > 0 {
		s.imageFaults[0].Times--
		if s.imageFaults[0].Times == 0 {
			s.imageFaults = s.imageFaults[1:]
		}
	}
	return &f
}

// damage returns resp, a checked PNG answer, damaged as f says.
func (f *ImageFault) damage(resp *response) *response {
	out := *resp
	out.damage = nil
	out.header = resp.header.Clone()
	out.chunked = f.Chunked
	png := resp.body
	switch f.Damage {
	case Truncated:
		idat := firstChunk(png, "IDAT")
		out.body = png[:idat.dataAt+len(idat.data)/2]
	case BadCRC:
		idat := firstChunk(png, "IDAT")
		out.body = append([]byte(nil), png...)
		out.body[idat.dataAt+len(idat.data)/2] ^= 0xff
	case NoIEND:
		out.body = png[:len(png)-12] // IEND is 12 bytes: length, type, no data, CRC
	case NoIDAT:
		out.body = nil
		for _, c := range splitChunks(png) {
			if c.typ != "IDAT" {
				out.body = append(out.body, c.raw...)
			}
		}
		out.body = append([]byte(pngSignature), out.body...)
	case Oversized:
		out.body = nil
		out.size, out.stream = oversized(png, f.Size, f.OnWrite)
	}
	return &out
}
