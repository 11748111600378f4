package dreamstudio

import (
	"encoding/json"
	"slices"
)

// Checked is a text-to-image request that the API's rules accept for its engine. Only Check
// makes one, so whatever takes a Checked (Client.Generate, a queued job) needs no second look.
type Checked struct {
	engine string
	req    TextToImageRequest
}

// Check validates r for the engine engineID (see TextToImageRequest.Validate) and returns it
// checked, or a *ValidationError.
func Check(engineID string, r TextToImageRequest) (Checked, error) {
	if err := r.Validate(engineID); err != nil {
		return Checked{}, err
	}
	r.TextPrompts = slices.Clone(r.TextPrompts)
	return Checked{engine: engineID, req: r}, nil
}

// Engine returns the engine's id.
func (c Checked) Engine() string { return c.engine }

// Request returns a copy of the request.
func (c Checked) Request() TextToImageRequest {
	r := c.req
	r.TextPrompts = slices.Clone(r.TextPrompts)
	return r
}

type checkedJSON struct {
	Engine  string             `json:"engine"`
	Request TextToImageRequest `json:"request"`
}

// MarshalJSON stores the request, for a job that outlives the process.
func (c Checked) MarshalJSON() ([]byte, error) {
	return json.Marshal(checkedJSON{Engine: c.engine, Request: c.req})
}

// UnmarshalJSON reads a stored request and checks it again where it comes back in: what is on
// disk may have been written by another version, or by hand.
func (c *Checked) UnmarshalJSON(b []byte) error {
	var raw checkedJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	checked, err := Check(raw.Engine, raw.Request)
	if err != nil {
		return err
	}
	*c = checked
	return nil
}
