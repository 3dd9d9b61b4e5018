package main

import (
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCountPages: pages are counted once per commit, by owner, and frames
// left from before the log restarted (another salt) are not read; turns are
// the processed_messages rowids the commits after the first added.
func TestCountPages(t *testing.T) {
	const pageSize = 512
	salt := []byte("saltsalt")
	wal := make([]byte, 32)
	binary.BigEndian.PutUint32(wal[8:12], pageSize)
	copy(wal[16:24], salt)
	frame := func(page, dbSize uint32, s []byte, lastRowid ...byte) {
		h := make([]byte, 24+pageSize)
		binary.BigEndian.PutUint32(h[0:4], page)
		binary.BigEndian.PutUint32(h[4:8], dbSize)
		copy(h[8:16], s)
		if lastRowid != nil { // a table leaf whose one cell is at 100
			p := h[24:]
			p[0] = 0x0d
			binary.BigEndian.PutUint16(p[3:5], 1)
			binary.BigEndian.PutUint16(p[8:10], 100)
			p[100] = 5 // payload size
			copy(p[101:], lastRowid)
		}
		wal = append(wal, h...)
	}
	frame(2, 0, salt)
	frame(4, 0, salt, 7)
	frame(3, 0, salt)
	frame(2, 10, salt) // commit 1: pages 2, 3 and 4, rowid 7
	frame(3, 0, salt)
	frame(4, 10, salt, 0x82, 0x2c) // commit 2: pages 3 and 4, rowid 300
	frame(2, 10, []byte("oldsalt!"))
	c, err := countPages(wal, map[uint32]string{2: "events", 3: "events_key", 4: turnsTable})
	if err != nil {
		t.Fatal(err)
	}
	if c.commits != 2 || c.firstTurn != 7 || c.lastTurn != 300 || c.firstPages != 3 {
		t.Errorf("commits %d, first commit's pages %d, rowids %d to %d; want 2, 3, 7 to 300", c.commits, c.firstPages, c.firstTurn, c.lastTurn)
	}
	if diff := cmp.Diff(map[string]int{"events": 1, "events_key": 2, turnsTable: 2}, c.perOwner); diff != "" {
		t.Errorf("pages per owner (-want +got):\n%s", diff)
	}
}
