package dreamstudio

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// A body of unknown length is read in blocks, each taken from the memory budget before it is
// allocated. Blocks grow so that small images need few and large ones waste little.
const (
	firstBlock = 64 << 10
	maxBlock   = 4 << 20
)

// readBody reads an image body of at most c.maxImageBytes, holding its bytes in the client's
// memory budget until release is called; on error nothing is held. With a Content-Length the
// whole body is taken from the budget before reading, or refused at once when it is above the
// limit; without one, bytes are taken as they arrive.
func (c *Client) readBody(ctx context.Context, resp *http.Response) (body []byte, release func(), err error) {
	limit := c.maxImageBytes
	if resp.ContentLength > limit {
		return nil, nil, &BadImageError{
			Reason: fmt.Sprintf("image of %d bytes is larger than the limit of %d", resp.ContentLength, limit)}
	}
	if resp.ContentLength >= 0 {
		s := c.memory.open(resp.ContentLength)
		body, err = readAnnounced(ctx, resp.Body, s, resp.ContentLength)
		return finish(s, body, err)
	}
	s := c.memory.open(limit)
	body, err = readStreamed(ctx, resp.Body, s, limit)
	return finish(s, body, err)
}

func finish(s *share, body []byte, err error) ([]byte, func(), error) {
	if err != nil {
		s.close()
		return nil, nil, err
	}
	return body, s.close, nil
}

// readAnnounced reads a body of n bytes, as its Content-Length said; the transport makes sure
// there are no more.
func readAnnounced(ctx context.Context, r io.Reader, s *share, n int64) ([]byte, error) {
	if err := s.grow(ctx, n); err != nil {
		return nil, err
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, readError(ctx, err)
	}
	return body, nil
}

// readStreamed reads a body of unknown length, refusing it once it passes limit. Joining the
// blocks at the end briefly holds the image twice; the blocks are garbage right after.
func readStreamed(ctx context.Context, r io.Reader, s *share, limit int64) ([]byte, error) {
	br := bufio.NewReader(r) // Peek tells the end of the body from the need for another block.
	var blocks [][]byte
	var n int64
	for size := int64(firstBlock); ; size = min(2*size, maxBlock) {
		if _, err := br.Peek(1); err == io.EOF {
			break
		} else if err != nil {
			return nil, readError(ctx, err)
		}
		if n == limit {
			return nil, &BadImageError{Reason: fmt.Sprintf("image is larger than the limit of %d bytes", limit)}
		}
		size = min(size, limit-n)
		if err := s.grow(ctx, size); err != nil {
			return nil, err
		}
		block := make([]byte, size)
		m, err := fill(br, block)
		n += int64(m)
		blocks = append(blocks, block[:m])
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readError(ctx, err)
		}
	}
	if len(blocks) == 1 {
		return blocks[0], nil
	}
	body := make([]byte, 0, n)
	for _, b := range blocks {
		body = append(body, b...)
	}
	return body, nil
}

// fill reads r into b until b is full (nil) or r ends or fails (its error, io.EOF for a clean
// end). Unlike io.ReadFull it keeps a clean end apart from a body cut short.
func fill(r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// readError describes an error reading a body: a body cut short is a broken image, anything
// else (the deadline, the connection) is reported as is.
func readError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("read image: %w", ctx.Err())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &BadImageError{Reason: "the answer was cut short", Err: io.ErrUnexpectedEOF}
	}
	return fmt.Errorf("read image: %w", err)
}
