package pnginfo

// Validate reports whether png is a whole PNG file, as far as can be told without decoding
// the pixels: the signature, IHDR first, every chunk's length, type and CRC, image data
// (IDAT), and IEND last with nothing after it. A file cut short, corrupted on the way or
// missing a part fails with a *FormatError; Embed and Read refuse the same files.
func Validate(png []byte) error {
	_, err := parseChunks(png)
	return err
}
