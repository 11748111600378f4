// Package pnginfo writes generation parameters into PNG files and reads them back.
//
// Embed adds iTXt chunks (UTF-8, so prompts in any language survive) without
// touching the image data: its chunks are copied byte for byte.
// The "parameters" chunk uses the layout AUTOMATIC1111's web UI writes, so
// PNG-info readers built for it show the prompt and settings; one chunk per
// field serves tools that read single keys.
package pnginfo
