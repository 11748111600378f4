package dreamstudio

// Observer is told of every error answer of the API, for metrics (a *metrics.Metrics in
// dreambot). name is the error's Name when the API documents it, "undocumented" for another name,
// "" when the answer had none (a proxy's page, say): a small set, fit for a metric's label.
type Observer interface {
	APIError(status int, name string)
}

// WithObserver makes the client tell o of every error answer.
func WithObserver(o Observer) Option {
	return func(c *Client) { c.observer = o }
}

func (c *Client) observe(e *Error) {
	if c.observer == nil {
		return
	}
	name := e.Name
	if name != "" && !e.Documented() {
		name = "undocumented"
	}
	c.observer.APIError(e.Status, name)
}
