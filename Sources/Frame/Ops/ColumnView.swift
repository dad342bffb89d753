// ColumnView: raw, read-only pointer access to a column's values and validity for hot loops.
//
// A view pins what it points into: the column's buffer storage, and a private copy of the
// validity words (a Swift array gives no pointer that outlives a closure). Booleans are read as
// UInt8 (0 or 1), so every numeric kernel sees a Comparable fixed-width element. A float NaN is
// a value, not a null, in the storage; kernels that skip missing values test `isMissing` too.

/// The fixed-width element types numeric kernels run over.
protocol KernelElement: BitwiseCopyable, Comparable, Sendable {
    /// The value as a Double (exact for integers up to 2^53).
    var kernelDouble: Double { get }
    /// The value as an Int64 (floats truncate; kernels use it for integer types only).
    var kernelInt64: Int64 { get }
    /// True for NaN: a float that statistics skip like a null.
    var isMissing: Bool { get }
    /// True when the type is a float (sums and moments in Double, not Int64).
    static var isFloatingPoint: Bool { get }
}

extension Int8: KernelElement {
    var kernelDouble: Double { Double(self) }
    var kernelInt64: Int64 { Int64(self) }
    var isMissing: Bool { false }
    static var isFloatingPoint: Bool { false }
}

extension Int16: KernelElement {
    var kernelDouble: Double { Double(self) }
    var kernelInt64: Int64 { Int64(self) }
    var isMissing: Bool { false }
    static var isFloatingPoint: Bool { false }
}

extension Int32: KernelElement {
    var kernelDouble: Double { Double(self) }
    var kernelInt64: Int64 { Int64(self) }
    var isMissing: Bool { false }
    static var isFloatingPoint: Bool { false }
}

extension Int64: KernelElement {
    var kernelDouble: Double { Double(self) }
    var kernelInt64: Int64 { self }
    var isMissing: Bool { false }
    static var isFloatingPoint: Bool { false }
}

extension UInt8: KernelElement {
    var kernelDouble: Double { Double(self) }
    var kernelInt64: Int64 { Int64(self) }
    var isMissing: Bool { false }
    static var isFloatingPoint: Bool { false }
}

extension UInt32: KernelElement {
    var kernelDouble: Double { Double(self) }
    var kernelInt64: Int64 { Int64(self) }
    var isMissing: Bool { false }
    static var isFloatingPoint: Bool { false }
}

extension Double: KernelElement {
    var kernelDouble: Double { self }
    var kernelInt64: Int64 { Int64(self) }
    var isMissing: Bool { isNaN }
    static var isFloatingPoint: Bool { true }
}

/// A private copy of validity words, freed with the last view that uses it.
final class PinnedWords: @unchecked Sendable {
    // @unchecked Sendable: written once in init, read-only afterwards.
    let base: UnsafeMutablePointer<UInt64>
    init(_ words: [UInt64]) {
        base = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(words.count, 1))
        words.withUnsafeBufferPointer { source in
            if let src = source.baseAddress { base.initialize(from: src, count: source.count) }
        }
    }
    deinit { base.deallocate() }
}

/// Read-only pointers to `count` values of type `T` and their validity bits.
struct ColumnView<T: BitwiseCopyable>: @unchecked Sendable {
    // @unchecked Sendable: the pointers reach immutable storage that `owners` keeps alive.
    let values: UnsafePointer<T>
    /// Validity bits (bit i of word i / 64 set when row i holds a value); nil when no nulls.
    let validity: UnsafePointer<UInt64>?
    let count: Int
    private let owners: (AnyObject, AnyObject?)

    init(_ buffer: ColumnBuffer<T>, validity bitmap: Bitmap?) {
        values = UnsafePointer(buffer.storage.base + buffer.offset)
        count = buffer.count
        let pinned = bitmap.map { PinnedWords($0.words) }
        validity = pinned.map { UnsafePointer($0.base) }
        owners = (buffer.storage, pinned)
    }

    private init(values: UnsafePointer<T>, validity: UnsafePointer<UInt64>?, count: Int,
                 owners: (AnyObject, AnyObject?)) {
        self.values = values
        self.validity = validity
        self.count = count
        self.owners = owners
    }

    /// The same memory read as another type of the same size (Bool as UInt8).
    func reinterpreted<U: BitwiseCopyable>(as _: U.Type) -> ColumnView<U> {
        precondition(MemoryLayout<U>.stride == MemoryLayout<T>.stride)
        return ColumnView<U>(values: UnsafeRawPointer(values).assumingMemoryBound(to: U.self),
                             validity: validity, count: count, owners: owners)
    }

    /// True when row `i` is not null (NaN still counts as present here).
    @inline(__always)
    func isValid(_ i: Int) -> Bool {
        guard let validity else { return true }
        return validity[i &>> 6] & (1 &<< UInt64(i & 63)) != 0
    }
}

extension ColumnView where T: KernelElement {
    /// True when row `i` holds a usable value: not null and not NaN.
    @inline(__always)
    func hasValue(_ i: Int) -> Bool { isValid(i) && !values[i].isMissing }

    /// True when some row is null or NaN.
    var hasMissing: Bool {
        validity != nil || (T.isFloatingPoint && (0..<count).contains { values[$0].isMissing })
    }

    /// For each row, whether it holds a value; nil when every row does.
    func presence() -> [Bool]? { hasMissing ? Parallel.array(count) { hasValue($0) } : nil }
}

/// An operation over a numeric column, generic in the element type (a generic closure).
protocol NumericVisitor {
    associatedtype Result
    func visit<T: KernelElement>(_ view: ColumnView<T>) -> Result
}

extension Column {
    /// Runs `visitor` over this column's values; nil for string columns.
    func visitNumeric<V: NumericVisitor>(_ visitor: V) -> V.Result? {
        switch data {
        case .int8(let b): visitor.visit(ColumnView(b, validity: validity))
        case .int16(let b): visitor.visit(ColumnView(b, validity: validity))
        case .int32(let b): visitor.visit(ColumnView(b, validity: validity))
        case .int64(let b): visitor.visit(ColumnView(b, validity: validity))
        case .float64(let b): visitor.visit(ColumnView(b, validity: validity))
        case .bool(let b): visitor.visit(ColumnView(b, validity: validity).reinterpreted(as: UInt8.self))
        case .string: nil
        }
    }

    /// Runs `visitor` over numeric values, or over string columns' dictionary codes.
    func visitCodes<V: NumericVisitor>(_ visitor: V) -> V.Result {
        if case .string(let codes, _) = data { return visitor.visit(ColumnView(codes, validity: validity)) }
        return visitNumeric(visitor)!
    }
}

extension Column {
    /// For each row, whether it holds a value (not null, not NaN); nil when every row does.
    /// String columns: whether the row is not null.
    func presence() -> [Bool]? {
        if case .string = data { return validity.map { v in (0..<count).map { v[$0] } } }
        return visitNumeric(PresenceVisitor())!
    }
}

private struct PresenceVisitor: NumericVisitor {
    func visit<T: KernelElement>(_ view: ColumnView<T>) -> [Bool]? { view.presence() }
}
