package main

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCountPages: pages are counted once per commit, by owner, and frames
// left from before the log restarted (another salt) are not read.
func TestCountPages(t *testing.T) {
	const pageSize = 512
	salt := []byte("saltsalt")
	wal := make([]byte, 32)
	binary.BigEndian.PutUint32(wal[8:12], pageSize)
	copy(wal[16:24], salt)
	frame := func(page, dbSize uint32, s []byte) {
		h := make([]byte, 24+pageSize)
		binary.BigEndian.PutUint32(h[0:4], page)
		binary.BigEndian.PutUint32(h[4:8], dbSize)
		copy(h[8:16], s)
		wal = append(wal, h...)
	}
	frame(2, 0, salt)
	frame(3, 0, salt)
	frame(2, 10, salt) // commit 1: pages 2 and 3
	frame(3, 10, salt) // commit 2: page 3
	frame(2, 10, []byte("oldsalt!"))
	commits, perOwner, err := countPages(wal, map[uint32]string{2: "events", 3: "events_key"})
	if err != nil {
		t.Fatal(err)
	}
	if commits != 2 {
		t.Errorf("commits = %d, want 2", commits)
	}
	if diff := cmp.Diff(map[string]int{"events": 1, "events_key": 2}, perOwner); diff != "" {
		t.Errorf("pages per owner (-want +got):\n%s", diff)
	}
}
