// Command walpages says which tables and indexes the commits in a SQLite
// write-ahead log wrote, in pages per commit: the cost of a commit in the
// embedded store is mostly the pages it appends to the log (each one a 4 KB
// write, checksummed, and copied again into the database by a checkpoint).
//
// Copy the log while the server runs (every commit since the log last
// restarted is in it), stop the server (closing copies the log into the
// database, so every page it names is there), then:
//
//	go run ./bench/walpages -db parley.db -wal copy-of-parley.db-wal [-turns N]
//
// Pages per turn: every turn appends one processed_messages row, whose
// rowid is one more than the largest, so the largest rowid in the table's
// pages at the last commit less the one at the first is the number of turns
// the later commits made; their pages are divided by it.
package main

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	_ "modernc.org/sqlite"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "walpages:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("walpages", flag.ContinueOnError)
	dbPath := fs.String("db", "", "the database, closed (so every page the log names is in it)")
	walPath := fs.String("wal", "", "a copy of the write-ahead log taken while the server ran")
	turns := fs.Int("turns", 0, "turns committed in the log, if known: also report pages per turn")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dbPath == "" || *walPath == "" {
		return errors.New("-db and -wal are required")
	}
	owners, err := pageOwners(ctx, *dbPath)
	if err != nil {
		return err
	}
	wal, err := os.ReadFile(*walPath)
	if err != nil {
		return err
	}
	c, err := countPages(wal, owners)
	if err != nil {
		return fmt.Errorf("%s: %w", *walPath, err)
	}
	if c.commits == 0 {
		return fmt.Errorf("%s: no commit in the log", *walPath)
	}
	names := make([]string, 0, len(c.perOwner))
	total := 0
	for n, k := range c.perOwner {
		names = append(names, n)
		total += k
	}
	slices.SortFunc(names, func(a, b string) int { return c.perOwner[b] - c.perOwner[a] })
	fmt.Fprintf(out, "%d commits, %.2f pages per commit", c.commits, float64(total)/float64(c.commits))
	if *turns > 0 {
		fmt.Fprintf(out, ", %.2f turns per commit, %.2f pages per turn", float64(*turns)/float64(c.commits), float64(total)/float64(*turns))
	}
	fmt.Fprintln(out)
	later := c.lastTurn - c.firstTurn
	if later > 0 {
		fmt.Fprintf(out, "after the first commit: %d commits, %d turns, %.2f turns per commit, %.2f pages per turn\n",
			c.commits-1, later, float64(later)/float64(c.commits-1), float64(total-c.firstPages)/float64(later))
	}
	fmt.Fprintln(out, "per commit  per turn  table or index")
	for _, n := range names {
		fmt.Fprintf(out, "%10.2f", float64(c.perOwner[n])/float64(c.commits))
		if later > 0 {
			fmt.Fprintf(out, "%10.2f", float64(c.perOwner[n]-c.firstPerOwner[n])/float64(later))
		} else {
			fmt.Fprintf(out, "%10s", "")
		}
		fmt.Fprintf(out, "  %s\n", n)
	}
	return nil
}

// pageOwners maps each page of the database to the table or index it belongs to.
func pageOwners(ctx context.Context, path string) (map[uint32]string, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT name, pageno FROM dbstat`)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer rows.Close()
	owners := map[uint32]string{}
	for rows.Next() {
		var name string
		var page uint32
		if err := rows.Scan(&name, &page); err != nil {
			return nil, err
		}
		owners[page] = name
	}
	return owners, rows.Err()
}

// counts is what countPages found: commits, distinct pages per commit summed
// per owner, the same for the first commit alone, and the largest
// processed_messages rowid at the first and the last commit.
type counts struct {
	commits             int
	perOwner            map[string]int
	firstPerOwner       map[string]int
	firstPages          int
	firstTurn, lastTurn int64
}

// turnsTable gets one row, appended, per turn.
const turnsTable = "processed_messages"

// countPages reads the log's frames (a 32-byte header, then frames of a
// 24-byte header and a page; a frame whose header gives the database size
// ends a commit) and counts, per owner, the distinct pages each commit wrote.
func countPages(wal []byte, owners map[uint32]string) (counts, error) {
	c := counts{perOwner: map[string]int{}, firstPerOwner: map[string]int{}}
	if len(wal) < 32 {
		return c, errors.New("not a write-ahead log")
	}
	pageSize := int(binary.BigEndian.Uint32(wal[8:12]))
	if pageSize < 512 || pageSize > 65536 {
		return c, fmt.Errorf("page size %d: not a write-ahead log", pageSize)
	}
	salt := wal[16:24]
	inCommit := map[uint32]bool{}
	var maxRowid int64
	for off := 32; off+24+pageSize <= len(wal); off += 24 + pageSize {
		frame := wal[off : off+24]
		if string(frame[8:16]) != string(salt) {
			break // left from before the log restarted
		}
		page := binary.BigEndian.Uint32(frame[0:4])
		inCommit[page] = true
		if owners[page] == turnsTable {
			maxRowid = max(maxRowid, lastRowid(wal[off+24:off+24+pageSize]))
		}
		if binary.BigEndian.Uint32(frame[4:8]) == 0 {
			continue
		}
		c.commits++
		for page := range inCommit {
			owner, ok := owners[page]
			if !ok {
				owner = "(freed since)"
			}
			c.perOwner[owner]++
			if c.commits == 1 {
				c.firstPerOwner[owner]++
				c.firstPages++
			}
		}
		clear(inCommit)
		if c.commits == 1 {
			c.firstTurn = maxRowid
		}
		c.lastTurn = maxRowid
	}
	return c, nil
}

// lastRowid is the largest rowid on a table's leaf page (its last cell: a
// varint payload size, then the varint rowid); 0 for other pages.
func lastRowid(page []byte) int64 {
	if len(page) < 8 || page[0] != 0x0d {
		return 0
	}
	n := int(binary.BigEndian.Uint16(page[3:5]))
	if n == 0 || 8+2*n > len(page) {
		return 0
	}
	cell := int(binary.BigEndian.Uint16(page[8+2*(n-1):]))
	if cell >= len(page) {
		return 0
	}
	_, k := varint(page[cell:])
	rowid, _ := varint(page[cell+k:])
	return int64(rowid)
}

// varint decodes SQLite's variable-length integer: up to eight bytes of
// seven bits, high bit set while more follow, then a ninth of eight bits.
func varint(b []byte) (v uint64, n int) {
	for n < len(b) && n < 8 {
		v = v<<7 | uint64(b[n]&0x7f)
		if b[n]&0x80 == 0 {
			return v, n + 1
		}
		n++
	}
	if n < len(b) {
		return v<<8 | uint64(b[n]), n + 1
	}
	return v, n
}
