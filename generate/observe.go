package generate

// Observer is told of every image made, for metrics (a *metrics.Metrics in dreambot): what made
// it (Request.Model: an engine or model id, or the upscaler), the API's finish reason, and the
// bytes saved to disk (0 when saving failed).
type Observer interface {
	Generated(model, finishReason string, savedBytes int)
}

// Option configures a Service.
type Option func(*Service)

// WithObserver makes the service tell o of every image it makes.
func WithObserver(o Observer) Option {
	return func(s *Service) { s.observer = o }
}

func (s *Service) observe(r Request, res *Result) {
	if s.observer == nil {
		return
	}
	saved := 0
	if res.SaveErr == nil {
		saved = len(res.PNG)
	}
	s.observer.Generated(r.Model(), res.FinishReason, saved)
}
