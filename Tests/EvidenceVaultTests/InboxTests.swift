import Foundation
import Testing

@testable import EvidenceVault

/// Quick notes: written without the passphrase, taken into the journal at the next unlock.
@Suite struct InboxTests {
  static let zone = TimeZone(identifier: "Europe/Stockholm") ?? .current
  static let notedAt = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T00:53:20Z

  /// A file of `count` bytes of varied content beside the vault (not inside it).
  static func file(_ folder: URL, _ name: String, _ bytes: [UInt8]) throws -> URL {
    let url = folder.deletingLastPathComponent().appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
  }

  static func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ $0 >> 8) }
  }

  static func items(_ folder: URL) -> [URL] {
    let inbox = folder.appendingPathComponent("inbox")
    return ((try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []).sorted()
      .map { inbox.appendingPathComponent($0) }
  }

  static func quarantined(_ folder: URL) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("quarantine").path)) ?? []
  }

  static func write(_ text: String, files: [URL] = [], to folder: URL, at date: Date = notedAt) throws {
    try QuickNoteWriter.write(text: text, files: files, toVaultAt: folder, timeZone: zone, now: date)
  }

  static func open(_ folder: URL, now: Date = Date(timeIntervalSince1970: 1_796_036_400)) throws -> Vault {
    try Vault.open(at: folder, passphrase: TestVaults.passphrase(), clock: { now })
  }

  @Test func notesAndFilesArriveByteForByteInOrderWithTheirTimes() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    let chunk = SecretStream.chunkByteCount
    let sizes = [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 17]
    let contents = sizes.enumerated().map { Self.bytes($0.element, seed: UInt8($0.offset)) }
    let files = try contents.enumerated().map { try Self.file(folder, "file\($0.offset).bin", $0.element) }
    try Self.write("He was at the door.\nHe shouted: \"open up\" — Åsa heard it.", files: files, to: folder)
    try Self.write("Second note", to: folder, at: Self.notedAt.addingTimeInterval(60))
    #expect(Self.items(folder).count == sizes.count + 2)

    let vault = try Self.open(folder)
    #expect(vault.inboxIntake.entryNumbers == [2, 3])
    #expect(vault.integrity.notices.first == "2 quick notes were added: #2, #3")
    let first = try vault.index.entry(number: 2).current
    #expect(first.narrative == "He was at the door.\nHe shouted: \"open up\" — Åsa heard it.")
    #expect(first.title == "He was at the door.")
    #expect(first.intake?.notedAt == "2026-11-30T00:53:20Z")
    #expect(first.intake?.via == "quick-note")
    #expect(first.occurred.start == "2026-11-30T00:53:20Z" && first.occurred.approximate)
    #expect(first.stamp.recordedAt == "2026-11-30T11:00:00Z")
    #expect(try vault.index.entry(number: 3).current.intake?.notedAt == "2026-11-30T00:54:20Z")
    let exhibits = vault.index.exhibits(forEntry: 2)
    #expect(exhibits.map(\.current.originalName) == files.map(\.lastPathComponent))
    for (exhibit, expected) in zip(exhibits, contents) {
      let out = folder.deletingLastPathComponent().appendingPathComponent("out-\(exhibit.label)")
      try vault.extract(exhibit.label, to: out)
      #expect(try readBytes(out) == expected, "\(exhibit.label)")
      #expect(exhibit.current.intake?.notedAt == "2026-11-30T00:53:20Z")
    }
    #expect(Self.items(folder).isEmpty)
    #expect(try vault.checkExhibits().isIntact)
  }

  @Test func aPhotoAloneIsANoteNamedAfterItsFileAndNothingAtAllIsRefused() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let photo = try Self.file(folder, "IMG_2041.jpg", Self.bytes(70_000, seed: 3))
    try Self.write("", files: [photo], to: folder)
    #expect(throws: VaultError.self) { try Self.write(" \n", to: folder) }
    #expect(Self.items(folder).count == 2)  // the photo and its note; the empty one left nothing

    let vault = try Self.open(folder)
    let entry = try vault.index.entry(number: 1).current
    #expect(entry.title == "IMG_2041.jpg")
    #expect(entry.narrative.isEmpty)
    #expect(entry.intake?.via == "quick-note")
    let exhibit = try #require(vault.index.exhibits(forEntry: 1).first)
    let out = folder.deletingLastPathComponent().appendingPathComponent("photo-out")
    try vault.extract(exhibit.label, to: out)
    #expect(try readBytes(out) == Self.bytes(70_000, seed: 3))
    #expect(Self.quarantined(folder).isEmpty)
  }

  @Test func recordsThatCameInValidateAndAreCanonical() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let photo = try Self.file(folder, "photo.bin", Self.bytes(3000, seed: 5))
    try Self.write("noted", files: [photo], to: folder)
    let vault = try Self.open(folder)
    #expect(vault.records.count == 2)
    for stored in vault.records {
      let schema: String
      switch stored.record {
      case .entry(let entry):
        #expect(entry.intake != nil)
        schema = "record-entry.schema.json"
      case .attachment(let attachment):
        #expect(attachment.intake != nil)
        schema = "record-attachment.schema.json"
      default: schema = "none"
      }
      #expect(RecordCodec.encode(stored.record) == stored.bytes)
      #expect(RecordCodec.encodeWithJSONEncoder(stored.record) == stored.bytes)
      let (status, output) = try SchemaTests.validate(stored.bytes, against: schema)
      #expect(status == 0, "record \(stored.sequence): \(output)")
    }
  }

  @Test func aNoteIsWrittenWhileTheVaultIsOpenAndTakenInAtTheNextOpen() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    do {
      let vault = try Self.open(folder)  // holds the lock
      try Self.write("Written while the vault was open", to: folder)
      #expect(vault.index.entries.isEmpty)
    }
    let vault = try Self.open(folder)
    #expect(vault.index.entries.map(\.current.narrative) == ["Written while the vault was open"])
  }

  @Test func anUpgradeLeavesQuickNotesForTheNextOpen() throws {
    let folder = try TestVaults.makeCheap(entries: 1, version: .v1)
    defer { TestVaults.remove(folder) }
    try Self.write("waiting through the upgrade", to: folder)
    _ = try Vault.upgrade(at: folder, passphrase: TestVaults.passphrase())
    #expect(Self.items(folder).count == 1)
    let vault = try Self.open(folder)
    #expect(vault.journalVersion == 2)
    #expect(vault.index.entries.map(\.current.narrative).last == "waiting through the upgrade")
  }

  @Test func writingANoteNeedsNoKeyDerivation() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    // The costliest header the caps allow: unlocking it would take many seconds and 2 GiB.
    let headerURL = TestVaults.header(folder)
    var header = try JSONDecoder().decode(VaultHeader.self, from: Data(readBytes(headerURL)))
    header.kdf.opsLimit = 10
    header.kdf.memLimitBytes = 2 << 30
    try Data(header.encoded()).write(to: headerURL)
    let start = Date()
    try Self.write("Quick", to: folder)
    #expect(Date().timeIntervalSince(start) < 0.5)

    // A header beyond the caps is refused before any work.
    header.kdf.opsLimit = 11
    try Data(header.encoded()).write(to: headerURL)
    #expect(throws: VaultError.self) { try Self.write("Quick", to: folder) }
  }

  @Test func anAlteredItemIsQuarantinedAndTheOthersAreTakenIn() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    for text in ["one", "two", "three"] { try Self.write(text, to: folder) }
    let items = Self.items(folder)
    var bytes = try readBytes(items[1])
    bytes[bytes.count / 2] ^= 0x01
    try Data(bytes).write(to: items[1])

    let vault = try Self.open(folder)
    #expect(vault.index.entries.map(\.current.narrative) == ["one", "three"])
    #expect(vault.inboxIntake.quarantined.count == 1)
    #expect(Self.quarantined(folder) == vault.inboxIntake.quarantined)
    #expect(vault.integrity.notices.contains { $0.contains("moved to quarantine/") })
    #expect(Self.items(folder).isEmpty)
    #expect(vault.integrity.isIntact)
  }

  @Test func itemsPutBackAfterIntakeAreNotTakenInTwice() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let photo = try Self.file(folder, "photo.jpg", Self.bytes(100_000, seed: 7))
    try Self.write("with a photo", files: [photo], to: folder)
    let saved = try Self.items(folder).map { ($0, try readBytes($0)) }
    do { _ = try Self.open(folder) }
    // A crash after the append and before the items were removed: they are still there at the next open.
    for (url, bytes) in saved { try Data(bytes).write(to: url) }
    let vault = try Self.open(folder)
    #expect(vault.index.entries.count == 1)
    #expect(vault.index.exhibits.count == 1)
    #expect(vault.inboxIntake.entryNumbers.isEmpty)
    #expect(Self.items(folder).isEmpty)
  }

  @Test func filesWhoseNoteNeverCameAreKeptAsLooseExhibits() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let photo = try Self.file(folder, "photo.jpg", Self.bytes(5000, seed: 3))
    try Self.write("note", files: [photo], to: folder)
    let items = Self.items(folder)
    try FileManager.default.removeItem(at: items[1])  // the note item, written last
    let vault = try Self.open(folder)
    #expect(vault.index.entries.isEmpty)
    #expect(vault.index.exhibits.map(\.current.originalName) == ["photo.jpg"])
    #expect(vault.index.exhibits.first?.current.entry == nil)
    #expect(Self.items(folder).isEmpty)
  }

  @Test(
    arguments: [
      ("short", [0x45, 0x4a]),
      ("wrong magic", Array("EJIX".utf8) + [1] + [UInt8](repeating: 0, count: 80)),
      ("unknown kind", Array("EJIN".utf8) + [9] + [UInt8](repeating: 0, count: 80)),
      ("huge header length", Array("EJIN".utf8) + [4, 0xff, 0xff, 0xff, 0xff] + [UInt8](repeating: 0, count: 80)),
      ("zero header length", Array("EJIN".utf8) + [4, 0, 0, 0, 0]),
      ("header past the end", Array("EJIN".utf8) + [4, 0, 0, 0x0f, 0xff] + [UInt8](repeating: 0, count: 100)),
      ("garbage note", Array("EJIN".utf8) + [1] + [UInt8](repeating: 0x41, count: 200)),
      ("empty note", Array("EJIN".utf8) + [1]),
    ] as [(String, [UInt8])])
  func hostileItemsAreQuarantinedWithoutATrap(name: String, bytes: [UInt8]) throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    try Self.write("a real note", to: folder)
    try Data(bytes).write(to: folder.appendingPathComponent("inbox/0000-hostile.item"))
    let vault = try Self.open(folder)
    #expect(vault.index.entries.map(\.current.narrative) == ["a real note"], "\(name)")
    #expect(Self.quarantined(folder).count == 1, "\(name)")
    #expect(Self.items(folder).isEmpty, "\(name)")
  }

  @Test func sealedContentOutOfRangeIsQuarantined() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let key = try QuickNoteWriter.inboxPublicKey(of: folder)
    func seal(_ json: String) -> [UInt8] {
      Array("EJIN".utf8) + [1] + Array(json.utf8).withUnsafeBytes { InboxKey.seal($0, to: key) }
    }
    let tooLong = String(repeating: "x", count: InboxItem.maximumTextByteCount + 1)
    let hostile = [
      #"{"files":0,"id":"not-a-uuid","notedAt":"2026-11-30T00:53:20Z","text":"x","timeZone":"UTC"}"#,
      #"{"files":0,"id":"7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6","notedAt":"yesterday","text":"x","timeZone":"UTC"}"#,
      #"{"files":-1,"id":"7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6","notedAt":"2026-11-30T00:53:20Z","text":"x","timeZone":"UTC"}"#,
      #"{"files":0,"id":"7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6","notedAt":"2026-11-30T00:53:20Z","text":"\#(tooLong)","timeZone":"UTC"}"#,
      #"{"files":0,"id":"7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6","notedAt":"2026-11-30T00:53:20Z","text":"  ","timeZone":"UTC"}"#,
    ]
    for (offset, json) in hostile.enumerated() {
      try Data(seal(json)).write(to: folder.appendingPathComponent("inbox/000\(offset)-hostile.item"))
    }
    try Data(Array("EJIN".utf8) + [2, 1, 2, 3]).write(to: folder.appendingPathComponent("inbox/0009-draft.item"))
    let vault = try Self.open(folder)
    #expect(vault.index.entries.isEmpty)
    // The draft does not open either (DraftTests has drafts that do).
    #expect(Self.quarantined(folder).count == hostile.count + 1)
    #expect(Self.items(folder).isEmpty)
  }

  @Test func aFileItemCutShortIsQuarantinedAndItsNoteStillArrives() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let photo = try Self.file(folder, "photo.jpg", Self.bytes(200_000, seed: 9))
    let other = try Self.file(folder, "other.jpg", Self.bytes(1000, seed: 1))
    try Self.write("two files", files: [photo, other], to: folder)
    let fileItem = Self.items(folder)[0]
    let bytes = try readBytes(fileItem)
    try Data(bytes[..<(bytes.count - 10)]).write(to: fileItem)
    let vault = try Self.open(folder)
    #expect(vault.index.entries.map(\.current.narrative) == ["two files"])
    #expect(vault.index.exhibits.map(\.current.originalName) == ["other.jpg"])
    #expect(Self.quarantined(folder).count == 1)
    #expect(vault.blobStore.inventory().blobs.count == 1)  // nothing of the cut file was kept as a blob
    #expect(
      vault.integrity.notices.contains(
        "Quick note #1 was added with 1 of its 2 files; the others were missing from inbox/ or did not open."))
  }

  @Test func noPlaintextOfANoteReachesTheVaultOrTheTemporaryFolder() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let canary = "Kanariefågel-\(UUID().uuidString.prefix(8))-señal"
    let photoCanary = "PHOTO-\(UUID().uuidString)"
    let photo = try Self.file(folder, "photo.jpg", Array("JPEG \(photoCanary) end".utf8) + Self.bytes(70_000, seed: 2))
    try Self.write("He said: \(canary)", files: [photo], to: folder)
    let needles = Canaries.forms(of: canary) + Canaries.forms(of: photoCanary)
    #expect(Canaries.found(needles, under: folder.deletingLastPathComponent()) == [photo.path])  // the search works
    #expect(Canaries.found(needles, under: folder).isEmpty)
    #expect(Canaries.found(needles, under: URL(fileURLWithPath: "/tmp"), skipping: [photo.path]).isEmpty)
    do {
      let vault = try Self.open(folder)
      #expect(vault.index.entries.count == 1)
    }
    #expect(Canaries.found(needles, under: folder).isEmpty)
    #expect(Canaries.found(needles, under: URL(fileURLWithPath: "/tmp"), skipping: [photo.path]).isEmpty)
  }
}

/// Searching files for words that must never be on disk in the clear.
enum Canaries {
  /// UTF-8 composed and decomposed, UTF-16 little- and big-endian.
  static func forms(of text: String) -> [[UInt8]] {
    var forms: [[UInt8]] = []
    for variant in [text.precomposedStringWithCanonicalMapping, text.decomposedStringWithCanonicalMapping] {
      forms.append(Array(variant.utf8))
      forms.append(variant.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] })
      forms.append(variant.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] })
    }
    return forms
  }

  /// The paths of files under `root` that hold any of `needles` (files over 64 MiB and unreadable ones skipped).
  static func found(_ needles: [[UInt8]], under root: URL, skipping: [String] = []) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
    var hits: [String] = []
    while let relative = walker.nextObject() as? String {
      let path = root.appendingPathComponent(relative).path
      guard !skipping.contains(path),
        let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        attributes[.type] as? FileAttributeType == .typeRegular,
        let size = attributes[.size] as? Int, size <= 64 << 20,
        let data = FileManager.default.contents(atPath: path)
      else { continue }
      for needle in needles where data.range(of: Data(needle)) != nil {
        hits.append(path)
        break
      }
    }
    return hits
  }
}
