// The arenas' reservations and the regions they hand on to columns: the bound on a column's
// pieces holds in the worst case, a region keeps what was written and knows how far, the pool
// lends the best region, and reads that recycle regions build the same frames.

import Glibc
import Testing
@testable import Frame

@Suite struct CSVPieceArenaTests {
    @Test func boundCoversTheWorstCase() {
        // One-field records of one digit ("1\n"), every chunk's piece read as Int64 and then
        // re-read as text, chunks as small as one byte.
        for (dataBytes, chunkSize) in [(2, 1), (200, 1), (200, 3), (4096, 64), (1 << 16, 1 << 12)] {
            let chunks = dataBytes / chunkSize + 1
            let arena = CSVPieceArena(reserving: CSVPieceArena.bytesBound(dataBytes: dataBytes, fieldCount: 1, chunks: chunks))
            var rowsLeft = dataBytes / 2 + 1
            for _ in 0..<chunks {
                let rows = min(rowsLeft, chunkSize / 2 + 1)
                rowsLeft -= rows
                _ = arena.allocate(Int64.self, count: rows)
                _ = arena.allocate(UInt32.self, count: rows)
            }
            #expect(!arena.usesBlocks, "\(dataBytes) bytes in chunks of \(chunkSize)")
        }
    }

    @Test func aRegionKeepsItsPiecesAndKnowsHowFar() throws {
        let arena = CSVPieceArena(reserving: 1 << 20)
        let a = arena.allocate(Int32.self, count: 1000)
        for i in 0..<1000 { a.values(Int32.self)[i] = Int32(i) }
        _ = arena.allocate(Int8.self, count: 3)
        let region = try #require(arena.takeRegion())
        #expect(region.touched == 4000 + 8)
        #expect(region.base.assumingMemoryBound(to: Int32.self)[999] == 999)
        // Prepared for a column: trimmed to its pages, writable past what was touched.
        let values = region.prepare(Int64.self, count: 5000)
        for i in 0..<5000 { values[i] = Int64(i) }
        #expect(region.touched == 40_000)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        #expect(region.size >= 40_000 && region.size < 40_000 + page)
        #expect(values[4999] == 4999)
    }

    @Test func poolLendsTheRegionThatCoversMost() throws {
        let pool = CSVRegionPool()
        #expect(pool.take(bytes: 10) == nil)
        let small = try #require(CSVMappedRegion(reserving: 1 << 16)), large = try #require(CSVMappedRegion(reserving: 1 << 20))
        let other = try #require(CSVMappedRegion(reserving: 1 << 20))
        small.touched = 1 << 16
        large.touched = 1000
        other.touched = 300_000
        for r in [small, large, other] { pool.put(r) }
        #expect(pool.take(bytes: 1 << 17) === other)      // small is too small
        #expect(pool.take(bytes: 1 << 17) === large)
        #expect(pool.take(bytes: 1 << 17) == nil)
        #expect(pool.take(bytes: 100) === small)
    }

    @Test func recyclingReadsAgreeWithTheReference() {
        // Many columns of different widths and kinds, so later columns take regions of earlier ones.
        var rng = SplitMix64(seed: 31)
        var text = (1...12).map { "c\($0)" }.joined(separator: ",") + "\n"
        for r in 0..<3000 {
            var cells: [String] = []
            for c in 0..<12 {
                switch c % 4 {
                case 0: cells.append(String(Int.random(in: 0...100, using: &rng)))
                case 1: cells.append(String(Int.random(in: -5_000_000_000...5_000_000_000, using: &rng)))
                case 2: cells.append(r == 2999 && c == 2 ? "text" : String(Int.random(in: 0...40_000, using: &rng)))
                default: cells.append(String(Double(Int.random(in: 0...1000, using: &rng)) / 8))
                }
            }
            text += cells.joined(separator: ",") + "\n"
        }
        expectReadersAgree(Array(text.utf8), chunks: [4096, 50_000, nil])
    }
}
