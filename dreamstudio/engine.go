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

// Engines lists the engines the key may use. Engines come and go, so ask rather than hard-code.
func (c *Client) Engines(ctx context.Context) ([]Engine, error) {
	ctx, cancel := context.WithTimeout(ctx, c.metadataTimeout)
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodGet, "v1/engines/list", nil, "application/json")
	if err != nil {
		return nil, fmt.Errorf("list engines: %w", err)
	}
	var engines []Engine
	if err := c.doJSON(req, &engines); err != nil {
		return nil, fmt.Errorf("list engines: %w", err)
	}
	return engines, nil
}
