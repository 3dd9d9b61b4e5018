// Package driverkit holds what the built-in connector drivers share: reading
// settings, checking a call's inputs against the declared ones, and handling
// the plain data connectors exchange (string, float64, bool, nil, []any and
// map[string]any). The {input} placeholders are in package placeholder.
package driverkit
