package dreamstudio

// SetMaxImageBytes lowers the image size limit so tests need not send 50 MiB.
func SetMaxImageBytes(c *Client, n int64) {
	c.maxImageBytes = n
}
