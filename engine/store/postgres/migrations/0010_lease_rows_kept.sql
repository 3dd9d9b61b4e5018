-- A lease row now stays after its turn: the commit releases it by clearing
-- its token (postgres/turns.go) rather than deleting it, and the next turn
-- takes it with an UPDATE. None of the updated columns is indexed, so with
-- room left on the page the update is a HOT update: no index entry and no
-- dead tuple for the index per turn, where an INSERT and a DELETE cost both.
-- Rows released long ago are deleted by the instances (maintain).
ALTER TABLE turn_leases SET (fillfactor = 50);
