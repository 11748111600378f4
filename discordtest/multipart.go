package discordtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"regexp"
	"strings"
)

// File is one files[n] part of a multipart request.
type File struct {
	// Field is the part's name, such as "files[0]".
	Field       string
	Filename    string
	ContentType string
	Data        []byte
}

// filesField matches the names Discord accepts for uploaded files.
var filesField = regexp.MustCompile(`^files\[(\d+)\]$`)

// pngSignature starts every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// parseMultipart splits a multipart/form-data body into its payload_json part and its files,
// checking the files by hand as the OpenAPI description cannot: at most 10, named
// files[n] with a filename, and PNG content for .png names.
func parseMultipart(data []byte, boundary string) ([]byte, []File, *formErrors) {
	var f formErrors
	if boundary == "" {
		f.add(nil, "CONTENT_TYPE_INVALID", "multipart/form-data without a boundary")
		return nil, nil, &f
	}
	mr := multipart.NewReader(bytes.NewReader(data), boundary)
	var payload []byte
	var files []File
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.add(nil, "MULTIPART_INVALID", "malformed multipart body: "+err.Error())
			return nil, nil, &f
		}
		body, err := io.ReadAll(part)
		if err != nil {
			f.add(nil, "MULTIPART_INVALID", "malformed multipart body: "+err.Error())
			return nil, nil, &f
		}
		name := part.FormName()
		switch {
		case name == "payload_json":
			payload = body
		case filesField.MatchString(name):
			files = append(files, File{Field: name, Filename: part.FileName(), ContentType: part.Header.Get("Content-Type"), Data: body})
		default:
			f.add([]string{name}, "UNKNOWN_FIELD", fmt.Sprintf("unexpected multipart field %q", name))
		}
	}
	checkFiles(&f, files)
	if payload == nil {
		f.add([]string{"payload_json"}, "BASE_TYPE_REQUIRED", "This field is required")
	}
	if !f.empty() {
		return nil, nil, &f
	}
	return payload, files, nil
}

// checkFiles applies the count, name and PNG-signature rules to uploaded files.
func checkFiles(f *formErrors, files []File) {
	if len(files) > maxFiles {
		f.add([]string{"files"}, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxFiles))
	}
	seen := map[string]bool{}
	for _, file := range files {
		if seen[file.Field] {
			f.add([]string{file.Field}, "DUPLICATE_FIELD", "duplicate file field")
		}
		seen[file.Field] = true
		if file.Filename == "" {
			f.add([]string{file.Field}, "BASE_TYPE_REQUIRED", "A file needs a filename")
		}
		if strings.HasSuffix(strings.ToLower(file.Filename), ".png") && !bytes.HasPrefix(file.Data, pngSignature) {
			f.add([]string{file.Field}, "FILE_TYPE_INVALID", "File is not a PNG image although its name ends in .png")
		}
	}
}
