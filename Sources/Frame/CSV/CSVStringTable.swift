// CSVStringTable: the distinct byte strings of a column, each stored once, with a code each.
//
// Open addressing with linear probing over a power-of-two slot array, grown at half load; each
// entry keeps its hash so growing never rehashes bytes. Entry bytes live back to back in one
// arena (`bytes`), entry i at `starts[i]..<starts[i + 1]`: no allocation per string.
// Codes are given in order of first insertion, so merging chunk tables in chunk order gives the
// order of first appearance in the file.
//
// An entry may be flagged invalid (its bytes are not UTF-8): the reader keeps it to recognise
// later copies of the same bad cell, and never emits it into a column's dictionary.

/// A deduplicating store of byte strings.
final class CSVStringTable: @unchecked Sendable {
    // @unchecked Sendable: built by one worker thread, then only read (or merged by one thread).
    private(set) var bytes: [UInt8] = []
    private(set) var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    private(set) var invalid: [Bool] = []
    private var slots: [Int32]
    private var mask: Int

    /// A valid pointer for empty entries (an empty array has no base address).
    // nonisolated(unsafe): allocated once, initialised to 0 and never written again.
    nonisolated(unsafe) private static let emptyBytes: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    /// Slots of a new table; grows by doubling.
    static let initialSlots = 64

    init() {
        slots = [Int32](repeating: -1, count: Self.initialSlots)
        mask = Self.initialSlots - 1
    }

    var count: Int { hashes.count }

    /// A 64-bit hash of the bytes (multiply-xorshift over 8-byte words).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i &+= 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p[i]) << shift
                shift &+= 8
                i &+= 1
            }
            h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        }
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }

    /// The code of the bytes, if present.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64) -> Int32? {
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[slot]
            if e < 0 { return nil }
            if hashes[Int(e)] == h && matches(Int(e), p, n) { return e }
            slot = (slot &+ 1) & mask
        }
    }

    @inline(__always)
    private func matches(_ e: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let lo = starts[e], hi = starts[e &+ 1]
        if hi &- lo != n { return false }
        return bytes.withUnsafeBufferPointer { b in n == 0 || memcmp(b.baseAddress! + lo, p, n) == 0 }
    }

    /// Adds bytes known to be absent; returns their code.
    @discardableResult
    func insert(_ p: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64, isValid: Bool = true) -> Int32 {
        let code = Int32(hashes.count)
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        starts.append(bytes.count)
        hashes.append(h)
        invalid.append(!isValid)
        if hashes.count * 2 > slots.count { grow() } else { place(code, hash: h) }
        return code
    }

    /// The code of the bytes, inserting them when absent.
    @inline(__always)
    func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let h = Self.hash(p, n)
        if let e = find(p, n, hash: h) { return e }
        return insert(p, n, hash: h)
    }

    private func place(_ code: Int32, hash h: UInt64) {
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] >= 0 { slot = (slot &+ 1) & mask }
        slots[slot] = code
    }

    private func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for e in 0..<hashes.count { place(Int32(e), hash: hashes[e]) }
    }

    /// Calls `body` with the bytes of entry `e`.
    @inline(__always)
    func withEntry<R>(_ e: Int, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        let lo = starts[e], n = starts[e + 1] - lo
        if n == 0 { return body(Self.emptyBytes, 0) }
        return bytes.withUnsafeBufferPointer { b in body(b.baseAddress! + lo, n) }
    }

    /// The hash stored for entry `e`.
    func storedHash(_ e: Int) -> UInt64 { hashes[e] }

    /// Entry `e` as a String (the bytes are UTF-8 for valid entries).
    func string(_ e: Int) -> String {
        withEntry(e) { p, n in String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
