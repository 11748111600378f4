package dreamstudiotest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
)

// imageToImage answers POST /v1/generation/{engine_id}/image-to-image, whose form the description
// check has accepted. The rules the description states in prose about the init image are
// applied here; the rest are text-to-image's, with the init image's size as the size. Every
// refusal also fails the test: a client that sends a picture has had the chance to check it.
func (s *Server) imageToImage(r *http.Request, body []byte, engineID string) *response {
	if !s.hasEngine(engineID) {
		return s.fail(http.StatusNotFound, "not_found",
			fmt.Sprintf("The specified engine (ID %s) was not found.", engineID))
	}
	form, err := parseMultipart(r, body)
	if err != nil { // checkRequest parsed it already
		s.tb.Errorf("dreamstudiotest: bug in the fake: image-to-image %s: %v", engineID, err)
		return s.fail(http.StatusInternalServerError, "server_error", err.Error())
	}
	if what := stepSchedule(form); what != "" {
		s.tb.Errorf("dreamstudiotest: image-to-image %s: %s is not implemented by the fake", engineID, what)
		return s.fail(http.StatusNotImplemented, "not_implemented", what+" is not implemented by dreamstudiotest")
	}
	req, v := initImageRequest(form)
	if v != nil {
		s.tb.Errorf("dreamstudiotest: image-to-image %s: the real API answers 400 %s: %s\nform: %q",
			engineID, v.name, v.message, form.values)
		return s.fail(http.StatusBadRequest, v.name, v.message)
	}
	return s.generateV1(r, "image-to-image", engineID, req, fmt.Sprintf("form: %q", form.values))
}

// stepSchedule names the STEP_SCHEDULE mode's fields when the form uses them, which the fake does
// not implement, or returns "".
func stepSchedule(form *multipartForm) string {
	for _, name := range []string{"step_schedule_start", "step_schedule_end"} {
		if form.has(name) {
			return name
		}
	}
	if mode := form.get("init_image_mode"); mode == "STEP_SCHEDULE" {
		return "init_image_mode " + mode
	}
	return ""
}

// initImageRequest applies the description's prose rules on the init image and returns the
// request as text-to-image's rules read it: its size is the init image's.
func initImageRequest(form *multipartForm) (*generationRequest, *violation) {
	for _, name := range slices.Sorted(maps.Keys(form.values)) {
		if len(form.values[name]) > 1 {
			return nil, &violation{"bad_request", name + ": sent more than once"}
		}
	}
	images := form.files["init_image"]
	switch {
	case len(images) == 0:
		// The description's own example of this error's message; a part without a filename
		// is not a file.
		return nil, &violation{"bad_request", "init_image: is required"}
	case len(images) > 1 || len(form.files) > 1:
		return nil, &violation{"bad_request", "init_image: only one file may be sent"}
	}
	info, err := readImageHeader(images[0])
	if err == nil && info.format != "png" && info.format != "jpeg" {
		err = fmt.Errorf("%s is not png or jpeg", info.format)
	}
	if err != nil {
		return nil, &violation{"invalid_mime_type", "init_image: the mime type of the file is invalid: " + err.Error()}
	}
	if err := decodeImage(info, images[0]); err != nil {
		return nil, &violation{"bad_request", "init_image: " + err.Error()}
	}
	prompts, err := formPrompts(form)
	if err != nil { // checkRequest read them already
		return nil, &violation{"bad_request", err.Error()}
	}
	req := &generationRequest{
		Width:   ptrTo(float64(info.width)),
		Height:  ptrTo(float64(info.height)),
		Samples: formNumber(form, "samples"),
		Seed:    formNumber(form, "seed"),
		Steps:   formNumber(form, "steps"),
	}
	for _, p := range prompts {
		if p.Text == nil { // checkRequest refused it already
			return nil, &violation{"bad_request", fmt.Sprintf("text_prompts[%d][text]: is required", p.index)}
		}
		req.TextPrompts = append(req.TextPrompts, struct {
			Text string `json:"text"`
		}{*p.Text})
	}
	return req, nil
}

// formNumber reads a numeric field the description check has accepted; nil when it is absent.
func formNumber(form *multipartForm, name string) *float64 {
	v, err := strconv.ParseFloat(form.get(name), 64)
	if err != nil {
		return nil
	}
	return &v
}

func ptrTo[T any](v T) *T { return &v }
