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
	commits, perOwner, err := countPages(wal, owners)
	if err != nil {
		return fmt.Errorf("%s: %w", *walPath, err)
	}
	if commits == 0 {
		return fmt.Errorf("%s: no commit in the log", *walPath)
	}
	names := make([]string, 0, len(perOwner))
	total := 0
	for n, c := range perOwner {
		names = append(names, n)
		total += c
	}
	slices.SortFunc(names, func(a, b string) int { return perOwner[b] - perOwner[a] })
	fmt.Fprintf(out, "%d commits, %.2f pages per commit", commits, float64(total)/float64(commits))
	if *turns > 0 {
		fmt.Fprintf(out, ", %.2f turns per commit, %.2f pages per turn", float64(*turns)/float64(commits), float64(total)/float64(*turns))
	}
	fmt.Fprintln(out)
	for _, n := range names {
		fmt.Fprintf(out, "%8.2f  %s\n", float64(perOwner[n])/float64(commits), n)
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

// countPages reads the log's frames (a 32-byte header, then frames of a
// 24-byte header and a page; a frame whose header gives the database size
// ends a commit) and counts, per owner, the distinct pages each commit wrote.
func countPages(wal []byte, owners map[uint32]string) (commits int, perOwner map[string]int, err error) {
	if len(wal) < 32 {
		return 0, nil, errors.New("not a write-ahead log")
	}
	pageSize := int(binary.BigEndian.Uint32(wal[8:12]))
	if pageSize < 512 || pageSize > 65536 {
		return 0, nil, fmt.Errorf("page size %d: not a write-ahead log", pageSize)
	}
	salt := wal[16:24]
	perOwner = map[string]int{}
	inCommit := map[uint32]bool{}
	for off := 32; off+24+pageSize <= len(wal); off += 24 + pageSize {
		frame := wal[off : off+24]
		if string(frame[8:16]) != string(salt) {
			break // left from before the log restarted
		}
		inCommit[binary.BigEndian.Uint32(frame[0:4])] = true
		if binary.BigEndian.Uint32(frame[4:8]) == 0 {
			continue
		}
		commits++
		for page := range inCommit {
			owner, ok := owners[page]
			if !ok {
				owner = "(freed since)"
			}
			perOwner[owner]++
		}
		clear(inCommit)
	}
	return commits, perOwner, nil
}
