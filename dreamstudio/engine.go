package dreamstudio

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Engine is one entry of GET /v1/engines/list.
type Engine struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Type        string `json:"type"`
}

// EngineList is the engine list as the API sent it, split by whether an entry may be used.
type EngineList struct {
	// Engines are the entries whose id is an engine id (see ValidateEngineID), in the API's
	// order.
	Engines []Engine
	// Refused holds the entries left out: the id of one whose id is not an engine id, or the
	// entry itself when it is not an engine at all, cleaned of the key and cut short for the
	// logs. The
	// client would never put them in a URL. The API is not known to send any; log them.
	Refused []string
}

// Engines lists the engines the key may use, leaving out entries whose id is not an engine id
// (ListEngines tells which). Engines come and go, so ask rather than hard-code.
func (c *Client) Engines(ctx context.Context) ([]Engine, error) {
	l, err := c.ListEngines(ctx)
	return l.Engines, err
}

// ListEngines lists the engines the key may use, and the ids of the entries it left out.
func (c *Client) ListEngines(ctx context.Context) (EngineList, error) {
	ctx, cancel := context.WithTimeout(ctx, c.metadataTimeout)
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodGet, "v1/engines/list", nil, "application/json")
	if err != nil {
		return EngineList{}, fmt.Errorf("list engines: %w", err)
	}
	var all []json.RawMessage
	if err := c.doJSON(req, &all); err != nil {
		return EngineList{}, fmt.Errorf("list engines: %w", err)
	}
	// An entry that does not fit is left out, not the whole list.
	var l EngineList
	for _, raw := range all {
		var e Engine
		if err := json.Unmarshal(raw, &e); err != nil {
			l.Refused = append(l.Refused, c.clean(string(raw)))
			continue
		}
		if ValidateEngineID(e.ID) != nil {
			l.Refused = append(l.Refused, c.clean(e.ID))
			continue
		}
		l.Engines = append(l.Engines, e)
	}
	return l, nil
}
