//go:build !linux

package main

import (
	"errors"
	"os"
)

// readHidden is only implemented on Linux; elsewhere the password is
// passed in PEERBOT_MATRIX_PASSWORD.
func readHidden(*os.File) (string, error) {
	return "", errors.New("reading a password without echo is not supported here; set PEERBOT_MATRIX_PASSWORD")
}

const canHide = false
