package dreamstudio

import (
	"context"
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
	// Refused holds the ids of the entries left out because they are not engine ids: the
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
	var all []Engine
	if err := c.doJSON(req, &all); err != nil {
		return EngineList{}, fmt.Errorf("list engines: %w", err)
	}
	var l EngineList
	for _, e := range all {
		if ValidateEngineID(e.ID) != nil {
			l.Refused = append(l.Refused, e.ID)
			continue
		}
		l.Engines = append(l.Engines, e)
	}
	return l, nil
}
