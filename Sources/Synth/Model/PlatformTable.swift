// PlatformTable: the joint distribution of (platform_name, platform_family).
//
// dsg17.md gives only the means, 0.473 and 0.256, each over 0, 1, 2. The joint below has
// those means exactly: name 0 (62%) is always family 0, name 2 (9.3%) is family 0, and name 1
// (28.7%) splits into family 1 (17.6%), 0 (7.1%) and 2 (4.0%):
//   E[name] = 0.287 + 2 (0.093) = 0.473;  E[family] = 0.176 + 2 (0.040) = 0.256.
// Each user has a primary platform and uses it for most rows (`Population`).

/// Joint distribution of platform name and family.
struct PlatformTable: Sendable {
    /// (name, family, probability); probabilities sum to 1.
    static let joint: [(name: UInt8, family: UInt8, probability: Double)] = [
        (0, 0, 0.620), (1, 1, 0.176), (1, 0, 0.071), (1, 2, 0.040), (2, 0, 0.093),
    ]
    /// Share of a user's rows on their primary platform; the rest follow the joint.
    static let primaryShare = 0.9

    /// Draws an index into `joint`.
    let sampler = AliasTable(weights: Self.joint.map(\.probability))

    /// The packed code of combination `i`: name * 3 + family.
    static func code(_ i: Int) -> UInt8 { joint[i].name * 3 + joint[i].family }
}
