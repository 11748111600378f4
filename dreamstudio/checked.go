package dreamstudio

import (
	"encoding/json"
	"slices"
)

// Checked is a text-to-image request that the API's rules accept for its model. Only Check and
// CheckParams make one, so whatever takes a Checked (Client.Generate, a queued job) needs no
// second look. The zero Checked is refused by Generate.
type Checked struct {
	engine string
	req    TextToImageRequest // for a v1 engine
	params Params             // for a Stable Image model, without its Init
	// init, when not nil, is the picture the image starts from, for either kind of model.
	init *Init
	// initPNG is the picture's bytes, attached by WithInitImage and never stored.
	initPNG []byte
}

// Check validates r for the v1 engine engineID (see TextToImageRequest.Validate) and returns it
// checked, or a *ValidationError. Stable Image models are checked with CheckParams.
func Check(engineID string, r TextToImageRequest) (Checked, error) {
	if err := r.Validate(engineID); err != nil {
		return Checked{}, err
	}
	return Checked{engine: engineID, req: cloneRequest(r)}, nil
}

// Engine returns the model's id.
func (c Checked) Engine() string { return c.engine }

// Request returns a copy of a v1 engine's request; the zero request for a Stable Image model.
func (c Checked) Request() TextToImageRequest { return cloneRequest(c.req) }

// Params returns a copy of what was checked. For a request made by Check, whose prompts may be
// many, it holds the first prompt and the first negative prompt.
func (c Checked) Params() Params {
	p := paramsOf(c.req)
	if IsStableImage(c.engine) {
		p = c.params
		p.CfgScale = clonePtr(p.CfgScale)
	}
	p.Init = clonePtr(c.init)
	return p
}

func cloneRequest(r TextToImageRequest) TextToImageRequest {
	r.TextPrompts = slices.Clone(r.TextPrompts)
	r.CfgScale = clonePtr(r.CfgScale)
	return r
}

// checkedJSON is the stored form: a v1 engine's text-to-image request as it is sent (as stored
// before Stable Image models existed), or the Params of anything else. The picture's bytes are
// never part of it.
type checkedJSON struct {
	Engine  string             `json:"engine"`
	Request TextToImageRequest `json:"request,omitzero"`
	Params  Params             `json:"params,omitzero"`
}

// MarshalJSON stores the request, for a job that outlives the process.
func (c Checked) MarshalJSON() ([]byte, error) {
	if IsStableImage(c.engine) || c.init != nil {
		return json.Marshal(checkedJSON{Engine: c.engine, Params: c.Params()})
	}
	return json.Marshal(checkedJSON{Engine: c.engine, Request: c.req})
}

// UnmarshalJSON reads a stored request and checks it again where it comes back in: what is on
// disk may have been written by another version, or by hand.
func (c *Checked) UnmarshalJSON(b []byte) error {
	var raw checkedJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var checked Checked
	var err error
	if IsStableImage(raw.Engine) || raw.Params.Init != nil {
		checked, err = CheckParams(raw.Engine, raw.Params)
	} else {
		checked, err = Check(raw.Engine, raw.Request)
	}
	if err != nil {
		return err
	}
	*c = checked
	return nil
}
