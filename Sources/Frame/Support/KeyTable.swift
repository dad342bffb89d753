// KeyTable: an open-addressing hash map from 64-bit keys to dense ids 0, 1, 2, ... given in
// order of first insertion (the grouping, join and dedupe kernels' "first appearance" order).
//
// Linear probing over a power-of-two array of (key, id) slots; a slot is empty when its id is
// `empty`. The table doubles when it is half full, so a probe sequence stays short. Keys are
// mixed (xor-shift, multiply) and the slot is taken from the product's high bits (Fibonacci
// hashing), so sequential ids and keys that differ only in their high bits spread evenly.
// Invariant: `keys[id]` is the key that received `id`.

/// A hash map from UInt64 keys to ids in order of first insertion.
final class KeyTable: @unchecked Sendable {
    // @unchecked Sendable: mutated by one thread while it is built; only `find` runs concurrently.
    private struct Slot {
        var key: UInt64
        var id: UInt32
    }

    /// Marks an empty slot; ids stay below it.
    private static let empty = UInt32.max
    /// The fewest slots a table starts with.
    private static let minimumCapacity = 16

    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private var shift: UInt64
    /// Keys in id order.
    private(set) var keys: [UInt64] = []

    /// A table sized for about `expected` distinct keys.
    init(expected: Int = 0) {
        var cap = KeyTable.minimumCapacity
        while cap < expected * 2 { cap <<= 1 }
        capacity = cap
        shift = UInt64(64 - cap.trailingZeroBitCount)
        slots = .allocate(capacity: cap)
        slots.initialize(repeating: Slot(key: 0, id: KeyTable.empty), count: cap)
    }

    deinit { slots.deallocate() }

    /// The number of distinct keys.
    var count: Int { keys.count }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        let mixed = (key ^ (key &>> 31)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed &>> shift)
    }

    /// The id of `key`, inserting it with the next id when it is new.
    @inline(__always)
    func id(_ key: UInt64) -> UInt32 {
        let mask = capacity &- 1
        var i = home(key)
        while true {
            let slot = slots[i]
            if slot.id == KeyTable.empty { break }
            if slot.key == key { return slot.id }
            i = (i &+ 1) & mask
        }
        let id = UInt32(truncatingIfNeeded: keys.count)
        precondition(id < KeyTable.empty, "too many distinct keys")
        slots[i] = Slot(key: key, id: id)
        keys.append(key)
        if keys.count * 2 > capacity { grow() }
        return id
    }

    /// The id of `key`, or nil when it was never inserted.
    @inline(__always)
    func find(_ key: UInt64) -> UInt32? {
        let mask = capacity &- 1
        var i = home(key)
        while true {
            let slot = slots[i]
            if slot.id == KeyTable.empty { return nil }
            if slot.key == key { return slot.id }
            i = (i &+ 1) & mask
        }
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity <<= 1
        shift -= 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(key: 0, id: KeyTable.empty), count: capacity)
        let mask = capacity &- 1
        for j in 0..<oldCapacity where old[j].id != KeyTable.empty {
            var i = home(old[j].key)
            while slots[i].id != KeyTable.empty { i = (i &+ 1) & mask }
            slots[i] = old[j]
        }
        old.deallocate()
    }
}
