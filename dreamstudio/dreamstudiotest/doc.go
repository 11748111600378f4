// Package dreamstudiotest provides a strict fake of the Stability AI REST API v1 (DreamStudio) for
// tests, in the manner of net/http/httptest. It serves GET /v1/engines/list and /v1/user/balance,
// and POST /v1/generation/{engine_id}/text-to-image (JSON) and image-to-image (multipart, with
// the prompts under the description's text_prompts[n][text|weight] keys, checked by hand).
//
// A Server checks every request it receives against Stability's published OpenAPI description
// (embedded from testdata) and fails the test on anything the real API would refuse, while
// answering such a request the way the real API does. It also enforces the rules the description
// leaves to prose: per-engine image sizes (an init image's too), samples with image/png, the init
// image's type (PNG or JPEG) and size (10 MiB), the API key, and the rate limit of 150 requests
// per 10 seconds with a 60 second lockout. Tests steer it with fault injection (error answers,
// and PNGs damaged on the way: truncated, corrupt, incomplete or oversized), a hold on
// generations, a finish-reason queue and an injectable clock, and inspect it through the recorded
// requests (with a multipart request's form fields and uploaded images), the number of images it
// generated and the balance, from which each image's price is taken as a real account's would
// be: the price the v2beta description documents, or for v1, whose prices are no longer
// published, an estimate (see WithBalance). PNG makes pictures for tests to send.
//
// The same Server also serves the v2beta Stable Image operations POST
// /v2beta/stable-image/generate/ultra, core and sd3 (text-to-image, and image-to-image on ultra and
// sd3) and /v2beta/stable-image/upscale/fast and conservative, multipart/form-data, checked against
// Stability's v2beta description and the rules it states in prose (aspect ratios, seeds, prompt
// length, which operation takes cfg_scale or style_preset, image and strength by mode, the uploaded
// image's format, sides, pixel count and aspect ratio, 10 MiB per request), answering with the v2
// error shape {id, name, errors}. v1 and v2beta requests share one key, one rate limit, one fault
// queue (faults answer v2beta requests in the v2 shape), one hold and one generation count.
// AspectRatioSize, ImageToImageSize, FastUpscaleSize and ConservativeUpscaleSize give the size of
// the image the fake answers with; it answers only PNGs. RefusedSize and RefusedImage say what
// the fake refuses, for tests of a client's own rules.
//
// The package deliberately does not import package dreamstudio: its size rules and wire types are
// written independently, so the client and the fake check each other.
package dreamstudiotest
