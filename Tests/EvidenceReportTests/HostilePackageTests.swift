import EvidenceVault
import EvidenceZip
import Foundation
import Testing

@testable import EvidenceReport

#if canImport(Glibc)
  import Glibc
#endif

/// Packages made to harm the officer's machine: zips that lie about their sizes and offsets, zip bombs, and
/// manifests and records with numbers no export writes. Each must end in a verdict, bounded in time and memory,
/// never in a trap.
@Suite("Hostile packages: the verifier reads them within bounds and ends in one sentence")
struct HostilePackageTests {
  static let exhibit = "dossier/exhibits/01-injury.jpg"
  static let manifestPath = "dossier/manifest.json"

  /// An exported package, and the same package zipped by hand (stored members under `dossier/`).
  static func handMade() throws -> (root: URL, package: URL, zip: HandMadeZip) {
    let (root, package, _) = try PackageTests.exported()
    return (root, package, try HandMadeZip.of(folder: package))
  }

  static func verify(_ zip: HandMadeZip, in root: URL, limits: ZipLimits = .standard) throws
    -> PackageVerifier.Verdict
  {
    let url = root.appendingPathComponent("hostile-\(UUID().uuidString).zip")
    try zip.write(to: url)
    return PackageVerifier.verifyArchive(url, limits: limits)
  }

  /// `zip` with its manifest changed by `change` (the signature then no longer matches, which is beside the point).
  static func changingManifest(_ zip: HandMadeZip, _ change: (inout EvidencePackage.Manifest) -> Void) throws
    -> HandMadeZip
  {
    let member = try #require(zip.member(manifestPath))
    var manifest = try JSONDecoder().decode(EvidencePackage.Manifest.self, from: Data(member.data))
    change(&manifest)
    var changed = zip
    changed.replace(manifestPath, with: .stored(manifestPath, try EvidencePackage.encode(manifest)))
    return changed
  }

  /// `zip` whose manifest lists the photo as `count` zero bytes.
  static func listingZeros(_ zip: HandMadeZip, count: Int) throws -> HandMadeZip {
    let hasher = StreamingSHA256()
    hasher.update(Data(count: count))
    let hex = hasher.finishHex()
    return try changingManifest(zip) { manifest in
      for position in manifest.files.indices where manifest.files[position].path == "exhibits/01-injury.jpg" {
        manifest.files[position].size = Int64(count)
        manifest.files[position].sha256 = hex
      }
    }
  }

  // MARK: - The archive

  @Test("A hand-made archive of an intact package verifies, its members stored or deflated")
  func aHandMadeArchiveOfAnIntactPackageVerifies() throws {
    let (root, _, zip) = try Self.handMade()
    defer { try? FileManager.default.removeItem(at: root) }
    let stored = try Self.verify(zip, in: root)
    #expect(stored.isIntact, "\(stored.lines)")
    var deflated = zip
    deflated.members = zip.members.map { .deflated($0.path, $0.data) }
    let verdict = try Self.verify(deflated, in: root)
    #expect(verdict.isIntact, "\(verdict.lines)")
  }

  @Test(
    "Entries no export writes are each named as not intact, and nothing is written anywhere",
    arguments: [
      "duplicate", "symlink", "climbing", "absolute", "backslash", "control", "outside", "size",
    ])
  func entriesNoExportWritesAreNamed(_ kind: String) throws {
    let (root, _, intact) = try Self.handMade()
    defer { try? FileManager.default.removeItem(at: root) }
    var zip = intact
    let expected: String
    switch kind {
    case "duplicate":
      zip.members.append(.stored("dossier/dossier.txt", Array("Nothing happened.".utf8)))
      expected = "it holds two files named dossier/dossier.txt"
    case "symlink":
      var link = HandMadeZip.Member.stored("dossier/exhibits/02-link.jpg", Array("/etc/passwd".utf8))
      link.unixMode = 0o120777
      zip.members.append(link)
      expected = "dossier/exhibits/02-link.jpg in the archive is not a file"
    case "climbing":
      zip.members.append(.stored("dossier/../evil.txt", Array("x".utf8)))
      expected = "dossier/../evil.txt in the archive climbs out with .."
    case "absolute":
      zip.members.append(.stored("/tmp/evil.txt", Array("x".utf8)))
      expected = "/tmp/evil.txt in the archive is an absolute path"
    case "backslash":
      zip.members.append(.stored("dossier\\..\\evil.txt", Array("x".utf8)))
      expected = "holds a backslash"
    case "control":
      zip.members.append(.stored("dossier/exhibits/a\u{1B}[2Jb.jpg", Array("x".utf8)))
      expected = "holds a control character"
    case "outside":
      zip.members.append(.stored("other/readme.txt", Array("x".utf8)))
      expected = "other/readme.txt in the archive is outside the package's folder"
    default:
      let original = try #require(zip.member(Self.exhibit))
      zip.replace(Self.exhibit, with: .stored(Self.exhibit, original.data + [0]))
      expected = "exhibits/01-injury.jpg was changed"
    }
    let before = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    let verdict = try Self.verify(zip, in: root)
    #expect(verdict.level == .notIntact, "\(verdict.lines)")
    #expect(verdict.lines.first?.hasPrefix("NOT INTACT") == true)
    #expect(verdict.lines.contains { $0.contains(expected) }, "\(verdict.lines)")
    #expect(!verdict.lines.joined().contains("\u{1B}"))
    // Only the archive the test wrote is new: the verifier unpacks nothing.
    let after = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    #expect(after.count == before.count + 1, "\(after)")
    #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.txt"))
  }

  @Test("A manifest that claims to be enormous is refused before anything is inflated or allocated")
  func aManifestThatClaimsToBeEnormousIsRefusedUnread() throws {
    let (root, _, zip) = try Self.handMade()
    defer { try? FileManager.default.removeItem(at: root) }
    var hostile = zip
    let manifest = try #require(zip.member(Self.manifestPath))
    var huge = HandMadeZip.Member.deflated(Self.manifestPath, manifest.data)
    huge.uncompressedSize = 1 << 62
    huge.zip64 = true
    hostile.replace(Self.manifestPath, with: huge)
    let verdict = try Self.verify(hostile, in: root)
    #expect(verdict.lines.count == 1, "\(verdict.lines)")
    #expect(
      verdict.lines[0].hasPrefix("NOT INTACT: manifest.json cannot be read: it is larger than"), "\(verdict.lines)")
  }

  @Test("A member that inflates about 158-fold is read in pieces, and stops at the ratio and the absolute limit")
  func aZipBombStopsAtTheLimits() throws {
    let (root, _, zip) = try Self.handMade()
    defer { try? FileManager.default.removeItem(at: root) }
    let count = 4 << 20
    var bomb = try Self.listingZeros(zip, count: count)
    bomb.replace(Self.exhibit, with: .deflatedZeros(Self.exhibit, count: count))
    // Within the standard limits it is read, in pieces, and its hash is the one the manifest lists.
    let read = try Self.verify(bomb, in: root)
    #expect(!read.lines.contains { $0.contains("exhibits/01-injury.jpg") }, "\(read.lines)")
    let stopped =
      "exhibits/01-injury.jpg cannot be read: it would decompress to far more than its compressed size allows (a zip bomb, or damage)."
    for limits in [ZipLimits(inflationRatio: 100), ZipLimits(memberByteCount: 1 << 20)] {
      let verdict = try Self.verify(bomb, in: root, limits: limits)
      #expect(!verdict.isIntact)
      #expect(verdict.lines.contains(stopped), "\(verdict.lines)")
    }
  }

  @Test("A member that inflates past the size its directory entry records is stopped there")
  func aMemberThatInflatesPastItsRecordedSizeIsStopped() throws {
    let (root, _, zip) = try Self.handMade()
    defer { try? FileManager.default.removeItem(at: root) }
    let count = 4 << 20
    var lying = try Self.listingZeros(zip, count: count)
    var member = HandMadeZip.Member.deflatedZeros(Self.exhibit, count: count)
    member.uncompressedSize = 1_000
    lying.replace(Self.exhibit, with: member)
    let verdict = try Self.verify(lying, in: root)
    #expect(verdict.lines.contains { $0.hasPrefix("exhibits/01-injury.jpg cannot be read: it is damaged") })
  }

  @Test("A deflate stream cut short is damage, not an endless loop", .timeLimit(.minutes(1)))
  func aTruncatedDeflateStreamIsDamage() throws {
    let (root, _, zip) = try Self.handMade()
    defer { try? FileManager.default.removeItem(at: root) }
    let count = 1 << 20
    var truncated = try Self.listingZeros(zip, count: count)
    let data = Array(Deflate.zeros(count, endingTheStream: false).prefix(2_000))
    // The last member of all, so that nothing follows its bytes but the directory.
    truncated.members.removeAll { $0.path == Self.exhibit }
    truncated.members.append(
      HandMadeZip.Member(
        path: Self.exhibit, data: data, method: 8, crc32: 0, compressedSize: UInt64(data.count),
        uncompressedSize: UInt64(count)))
    let verdict = try Self.verify(truncated, in: root)
    #expect(verdict.lines.contains { $0.hasPrefix("exhibits/01-injury.jpg cannot be read: it is damaged") })
  }

  /// Ways a zip's directory can lie.
  enum HostileDirectory: String, CaseIterable, CustomTestStringConvertible {
    case headerOffsetNearUInt64Max, headerOffsetJustPastInt64Max, compressedSizeNearInt64Max
    case directoryOffsetNearUInt64Max, directoryLargerThanTheFile, memberCountNearUInt64Max
    case storedSizesDisagree, membersShareTheirBytes, twoMembersWithOneName
    var testDescription: String { rawValue }

    func apply(to zip: inout HandMadeZip) {
      let manifest = HostilePackageTests.manifestPath
      guard let position = zip.members.firstIndex(where: { $0.path == manifest }) else { return }
      switch self {
      case .headerOffsetNearUInt64Max:
        zip.members[position].zip64 = true
        zip.members[position].recordedOffset = UInt64.max - 5
      case .headerOffsetJustPastInt64Max:
        zip.members[position].zip64 = true
        zip.members[position].recordedOffset = 1 << 63
      case .compressedSizeNearInt64Max:
        zip.members[position] = .deflated(manifest, zip.members[position].data)
        zip.members[position].zip64 = true
        zip.members[position].compressedSize = UInt64(Int64.max - 1)
      case .directoryOffsetNearUInt64Max:
        zip.zip64End = true
        zip.recordedDirectoryOffset = UInt64.max - 100
      case .directoryLargerThanTheFile:
        zip.zip64End = true
        zip.recordedDirectoryByteCount = 1 << 40
      case .memberCountNearUInt64Max:
        zip.zip64End = true
        zip.recordedMemberCount = UInt64.max
      case .storedSizesDisagree:
        zip.members[position].zip64 = true
        zip.members[position].uncompressedSize = 1 << 40
      case .membersShareTheirBytes:
        // The non-recursive zip bomb: many names for one compressed kernel.
        for copy in 0..<3 {
          var alias = zip.members[position]
          alias.path = "dossier/exhibits/copy-\(copy).json"
          alias.sharesWith = position
          zip.members.append(alias)
        }
      case .twoMembersWithOneName:
        zip.members.append(zip.members[position])
      }
    }
  }

  @Test(
    "A directory whose numbers lie beyond the file, or near Int64.max, ends in one sentence",
    arguments: HostileDirectory.allCases)
  func aLyingDirectoryEndsInOneSentence(_ lie: HostileDirectory) throws {
    let (root, _, zip) = try Self.handMade()
    defer { try? FileManager.default.removeItem(at: root) }
    var hostile = zip
    lie.apply(to: &hostile)
    let verdict = try Self.verify(hostile, in: root)
    #expect(verdict.lines.count == 1, "\(verdict.lines)")
    #expect(
      verdict.lines.first?.hasPrefix("NOT INTACT: ") == true
        && verdict.lines.first?.contains(".zip cannot be checked: it ") == true, "\(verdict.lines)")
  }

  // MARK: - Numbers in manifest.json and records.json

  /// A JSON field and the number written in its place.
  struct NumberLie: CustomTestStringConvertible, Sendable {
    let field: String
    let value: String
    var testDescription: String { "\(field) \(value)" }
  }

  static let numberLies: [NumberLie] = [
    NumberLie(field: "headSequence", value: "18446744073709551615"),
    NumberLie(field: "headSequence", value: "9223372036854775807"),
    NumberLie(field: "headSequence", value: "-1"),
    NumberLie(field: "headSequence", value: "6.5"),
    NumberLie(field: "size", value: "-1"),
    NumberLie(field: "size", value: "9223372036854775807"),
    NumberLie(field: "size", value: "9223372036854775808"),
    NumberLie(field: "size", value: "1e30"),
    NumberLie(field: "size", value: "1.5"),
    NumberLie(field: "includedRecords", value: "-5"),
    NumberLie(field: "withheldRecords", value: "9223372036854775807"),
  ]

  @Test("Numbers in manifest.json that no export writes are refused without trapping", arguments: numberLies)
  func impossibleManifestNumbersAreRefused(_ lie: NumberLie) throws {
    let (root, package, _) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let url = package.appendingPathComponent("manifest.json")
    let text = try String(contentsOf: url, encoding: .utf8)
    let pattern = try Regex("\"\(lie.field)\"\\s*:\\s*[0-9]+")
    #expect(text.contains(pattern))
    try Data(text.replacing(pattern, with: "\"\(lie.field)\" : \(lie.value)").utf8).write(to: url)
    let verdict = PackageVerifier.verify(package)
    #expect(!verdict.isIntact)
    #expect(verdict.lines.first?.hasPrefix("NOT INTACT: ") == true, "\(verdict.lines)")
  }

  /// The package's records, changed by `change`, with their leaves, the chain and the manifest's head made to
  /// agree again, as someone forging a package would.
  static func forgeRecords(
    in package: URL, _ change: (inout [EvidencePackage.RecordsFile.Item]) -> Void
  ) throws {
    let recordsURL = package.appendingPathComponent("records.json")
    var records = try JSONDecoder().decode(EvidencePackage.RecordsFile.self, from: Data(contentsOf: recordsURL))
    change(&records.records)
    for position in records.records.indices {
      if let json = records.records[position].json {
        records.records[position].leaf = ExportCrypto.leaf(Array(json.utf8))
      }
    }
    let chain = try #require(
      ExportCrypto.chainValues(vaultId: records.vaultId, leaves: records.records.map(\.leaf)))
    let recordBytes = try EvidencePackage.encode(records)
    try Data(recordBytes).write(to: recordsURL)
    let manifestURL = package.appendingPathComponent("manifest.json")
    var manifest = try JSONDecoder().decode(EvidencePackage.Manifest.self, from: Data(contentsOf: manifestURL))
    manifest.headHash = chain.last ?? ""
    for position in manifest.files.indices where manifest.files[position].path == "records.json" {
      manifest.files[position].size = Int64(recordBytes.count)
      manifest.files[position].sha256 = ExportCrypto.sha256(recordBytes)
    }
    try Data(try EvidencePackage.encode(manifest)).write(to: manifestURL)
  }

  @Test("An anchor record claiming to cover 2^64 - 1 records is a problem, not a trap")
  func anAnchorBeyondEveryJournalIsAProblem() throws {
    let (root, _, vault) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let anchor = try vault.anchor()
    let package = root.appendingPathComponent("anchored")
    _ = try EvidencePackage.write(PackageModesTests.builder(vault), vault: vault, to: package)
    try Self.forgeRecords(in: package) { records in
      for position in records.indices {
        guard let json = records[position].json, json.contains(#""type":"anchor""#) else { continue }
        records[position].json = json.replacingOccurrences(
          of: #""sequence":\#(anchor.sequence)"#, with: #""sequence":18446744073709551615"#)
      }
    }
    let verdict = PackageVerifier.verify(package, anchorCodes: ["18446744073709551615-0000-0000-0000-0000"])
    #expect(!verdict.isIntact)
    #expect(
      verdict.lines.contains {
        $0.hasPrefix(
          "Record 7 is an anchor whose code \(anchor.code) does not match the chain up to record 18446744073709551615")
      }, "\(verdict.lines)")
    #expect(
      verdict.lines.contains { $0.hasPrefix("\"18446744073709551615-0000-0000-0000-0000\" is not an anchor code") })
  }

  @Test(
    "records.json whose sequence numbers or entry numbers are impossible is named",
    arguments: ["sequence", "repeated sequence", "negative entry", "huge entry"])
  func impossibleRecordNumbersAreNamed(_ lie: String) throws {
    let (root, package, _) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.forgeRecords(in: package) { records in
      switch lie {
      case "sequence": records[0].sequence = UInt64.max
      case "repeated sequence": records[2].sequence = records[1].sequence
      case "negative entry": records[1].entryNumber = -3
      default: records[1].entryNumber = Int.max
      }
    }
    let verdict = PackageVerifier.verify(package)
    #expect(
      verdict.lines.contains(
        "records.json does not list the journal's records in order, each once, with possible entry numbers."),
      "\(verdict.lines)")
  }

  // MARK: - Folders

  @Test(
    "A folder package's link to /dev/zero, or a named pipe, is neither read without end nor waited on",
    .timeLimit(.minutes(1)))
  func devicesAndPipesInAFolderAreNotRead() throws {
    let (root, package, _) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let manager = FileManager.default
    try manager.removeItem(at: package.appendingPathComponent("exhibits/01-injury.jpg"))
    try manager.createSymbolicLink(
      atPath: package.appendingPathComponent("exhibits/01-injury.jpg").path, withDestinationPath: "/dev/zero")
    try manager.removeItem(at: package.appendingPathComponent("records.json"))
    try manager.createSymbolicLink(
      atPath: package.appendingPathComponent("records.json").path, withDestinationPath: "/dev/zero")
    try manager.removeItem(at: package.appendingPathComponent("manifest.sig"))
    #expect(mkfifo(package.appendingPathComponent("manifest.sig").path, 0o600) == 0)
    let verdict = PackageVerifier.verify(package)
    #expect(!verdict.isIntact)
    #expect(
      verdict.lines.contains("exhibits/01-injury.jpg cannot be read: it is not a plain file."), "\(verdict.lines)")
    #expect(verdict.lines.contains("records.json is missing or cannot be read."), "\(verdict.lines)")
    #expect(verdict.lines.contains { $0.hasPrefix("manifest.sig is not a valid signature") }, "\(verdict.lines)")
  }

  @Test("A manifest.json larger than any manifest is refused unread")
  func anOversizedManifestInAFolderIsRefused() throws {
    let (root, package, _) = try PackageTests.exported()
    defer { try? FileManager.default.removeItem(at: root) }
    let url = package.appendingPathComponent("manifest.json")
    let handle = try FileHandle(forWritingTo: url)
    try handle.truncate(atOffset: UInt64(PackageLimits.manifestByteCount) + 1)  // sparse: nothing is written
    try handle.close()
    let verdict = PackageVerifier.verify(package)
    #expect(verdict.lines.count == 1)
    #expect(verdict.lines.first?.hasPrefix("NOT INTACT: manifest.json cannot be read: it is larger than") == true)
  }
}
