package dreamstudiotest

// Engine is one entry of GET /v1/engines/list as the fake sends it. It is the fake's own type, not
// dreamstudio.Engine, so the fake stays an independent check of the client.
type Engine struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Type        string `json:"type"`
}

// DefaultEngines returns the engines a new Server offers: the two that reports from 2026 say v1
// still serves (SDXL 1.0 and SD 1.6) and one retired 512 engine, so tests meet every kind of size
// rule without configuration.
func DefaultEngines() []Engine {
	return []Engine{
		{
			ID:          "stable-diffusion-xl-1024-v1-0",
			Name:        "Stable Diffusion XL 1.0",
			Description: "Stability-AI Stable Diffusion XL v1.0",
			Type:        "PICTURE",
		},
		{
			ID:          "stable-diffusion-v1-6",
			Name:        "Stable Diffusion v1.6",
			Description: "Stability-AI Stable Diffusion v1.6",
			Type:        "PICTURE",
		},
		{
			ID:          "stable-diffusion-512-v2-1",
			Name:        "Stable Diffusion v2.1",
			Description: "Stability-AI Stable Diffusion v2.1",
			Type:        "PICTURE",
		},
	}
}
