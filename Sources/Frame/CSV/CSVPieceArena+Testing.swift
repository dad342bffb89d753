// Test-only views of CSVPieceArena.

extension CSVPieceArena {
    /// True when allocation outgrew the reservation (or there was none) and moved on to blocks.
    var usesBlocks: Bool { blockCount > 0 }
}
