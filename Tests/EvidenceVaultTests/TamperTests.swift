import Foundation
import Testing

@testable import EvidenceVault

/// Every way the bytes on disk can be changed is detected (or, for an unfinished append, recovered) with the right message.
@Suite struct TamperTests {
  @Test func everyFlippedByteOfTheHeaderIsDetected() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    let original = try readBytes(TestVaults.header(folder))
    for index in original.indices {
      var altered = original
      altered[index] ^= 0x01
      try writeBytes(altered, to: TestVaults.header(folder))
      let result = TestVaults.openResult(folder)
      #expect(result.failureCode != nil, "flip at byte \(index) (\(UnicodeScalar(original[index]))) was not detected")
    }
    try writeBytes(original, to: TestVaults.header(folder))
    #expect(TestVaults.openResult(folder).failureCode == nil)
  }

  @Test func aHeaderAskingForTooMuchWorkIsRefusedBeforeAnyDerivation() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let text = String(decoding: try readBytes(TestVaults.header(folder)), as: UTF8.self)
    for (field, value) in [("opsLimit", "1000000"), ("memLimitBytes", "1099511627776"), ("memLimitBytes", "1024")] {
      let altered = text.replacingOccurrences(
        of: #""\#(field)" : [0-9]+"#, with: "\"\(field)\" : \(value)", options: .regularExpression)
      try writeBytes(Array(altered.utf8), to: TestVaults.header(folder))
      let started = Date()
      #expect(TestVaults.openResult(folder).failureCode == .unsafeHeaderParameters)
      #expect(Date().timeIntervalSince(started) < 1)
    }
  }

  @Test func anUnknownFormatVersionIsNamed() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let text = String(decoding: try readBytes(TestVaults.header(folder)), as: UTF8.self)
    try writeBytes(
      Array(
        text.replacingOccurrences(of: #""version" : [0-9]+"#, with: "\"version\" : 7", options: .regularExpression).utf8
      ),
      to: TestVaults.header(folder))
    guard case .failure(let error) = TestVaults.openResult(folder) else {
      Issue.record("opened a version 7 vault")
      return
    }
    #expect(error.code == .unsupportedVersion)
    #expect(error.message.contains("7"))
  }

  @Test(arguments: [JournalFormat.Version.v1, .v2])
  func everyFlippedByteOfTheJournalIsDetectedAndNamesItsRecord(version: JournalFormat.Version) throws {
    let folder = try TestVaults.makeCheap(entries: 2, version: version)
    defer { TestVaults.remove(folder) }
    let original = try readBytes(TestVaults.journal(folder))
    let frames = TestVaults.frames(original)
    #expect(frames.count == 2)
    for index in original.indices {
      var altered = original
      altered[index] ^= 0x01
      try writeBytes(altered, to: TestVaults.journal(folder))
      let record = frames.firstIndex { $0.contains(index) }.map { $0 + 1 } ?? 0
      guard case .success(let report) = TestVaults.openResult(folder) else {
        Issue.record("flip at \(index) stopped the vault from opening")
        continue
      }
      // A length field made longer than the file looks like an unfinished save: it is recovered, but the signed
      // head then shows that a record is missing. Either way the vault reports damage.
      #expect(!report.isIntact, "flip at byte \(index) was not detected")
      let named = report.problems.contains {
        $0.message.contains("Record \(record)") || $0.message.contains("record \(record)")
      }
      let missing = report.problems.contains { if case .recordsMissingFromEnd = $0.kind { true } else { false } }
      let magic = index < frames[0].lowerBound && report.problems.map(\.kind) == [.journalVersionMismatch]
      #expect(named || missing || magic, "flip at \(index): \(report.problems.map(\.message))")
      if version == .v2 && !magic && record < frames.count {
        #expect(report.problems.allSatisfy { !$0.message.contains("nothing from record") }, "flip at \(index)")
      }
      try writeBytes(original, to: TestVaults.journal(folder))
      try? FileManager.default.removeItem(at: folder.appendingPathComponent("quarantine"))
    }
  }

  /// Version 1: a change to one frame stops reading there (DamageStaysLocalTests covers version 2).
  @Test func swappedFramesAreDetected() throws {
    let folder = try TestVaults.makeCheap(entries: 3, version: .v1)
    defer { TestVaults.remove(folder) }
    let original = try readBytes(TestVaults.journal(folder))
    let frames = TestVaults.frames(original)
    let swapped = Array(original[frames[0]]) + Array(original[frames[2]]) + Array(original[frames[1]])
    try writeBytes(swapped, to: TestVaults.journal(folder))
    guard case .success(let report) = TestVaults.openResult(folder) else {
      Issue.record("did not open")
      return
    }
    #expect(report.problems.first?.kind == .recordDoesNotVerify(sequence: 2))
    #expect(report.head.sequence == 1)
  }

  @Test func aDroppedFrameIsDetectedWhereverItWas() throws {
    let folder = try TestVaults.makeCheap(entries: 3, version: .v1)
    defer { TestVaults.remove(folder) }
    let original = try readBytes(TestVaults.journal(folder))
    let frames = TestVaults.frames(original)
    for dropped in frames.indices {
      let remaining = frames.indices.filter { $0 != dropped }.flatMap { Array(original[frames[$0]]) }
      try writeBytes(remaining, to: TestVaults.journal(folder))
      guard case .success(let report) = TestVaults.openResult(folder) else {
        Issue.record("did not open")
        continue
      }
      if dropped == frames.count - 1 {
        #expect(report.problems.first?.kind == .recordsMissingFromEnd(expected: 3, found: 2))
      } else {
        #expect(report.problems.first?.kind == .recordDoesNotVerify(sequence: UInt64(dropped + 1)))
      }
    }
  }

  @Test func appendedGarbageIsDetectedOrRecovered() throws {
    let folder = try TestVaults.makeCheap(entries: 1, version: .v1)
    defer { TestVaults.remove(folder) }
    let original = try readBytes(TestVaults.journal(folder))
    // Impossible length: damage.
    try writeBytes(original + [0xff, 0xff, 0xff, 0xff, 1, 2, 3], to: TestVaults.journal(folder))
    if case .success(let report) = TestVaults.openResult(folder) {
      #expect(report.problems.first?.kind == .frameLengthImpossible(sequence: 2))
    } else {
      Issue.record("did not open")
    }
    // A whole frame of random bytes with a plausible length: it does not authenticate.
    var fake: [UInt8] = []
    fake.appendBigEndian(UInt32(24 + 256 + 16))
    fake += (0..<(24 + 256 + 16)).map { _ in UInt8.random(in: 0...255) }
    try writeBytes(original + fake, to: TestVaults.journal(folder))
    if case .success(let report) = TestVaults.openResult(folder) {
      #expect(report.problems.first?.kind == .recordDoesNotVerify(sequence: 2))
    } else {
      Issue.record("did not open")
    }
    // Two stray bytes: an unfinished save, cut off and kept in quarantine.
    try writeBytes(original + [0, 0], to: TestVaults.journal(folder))
    if case .success(let report) = TestVaults.openResult(folder) {
      #expect(report.isIntact)
      #expect(report.notices.contains { $0.contains("quarantine") })
    } else {
      Issue.record("did not open")
    }
    #expect(try readBytes(TestVaults.journal(folder)) == original)
  }

  @Test func aTornFinalFrameIsCutOffAtEveryOffsetAndKept() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    let headURL = folder.appendingPathComponent("head.json")
    let headAfterOne = try readBytes(headURL)
    let journalAfterOne = try readBytes(TestVaults.journal(folder))
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      try vault.addEntry(TestVaults.sampleEntry(title: "Second"))
    }
    let full = try readBytes(TestVaults.journal(folder))
    let quarantine = folder.appendingPathComponent("quarantine")
    // A crash during the second append leaves any prefix of its frame, and the head of the first record.
    for cut in (journalAfterOne.count + 1)..<full.count {
      try writeBytes(Array(full[..<cut]), to: TestVaults.journal(folder))
      try writeBytes(headAfterOne, to: headURL)
      guard case .success(let report) = TestVaults.openResult(folder) else {
        Issue.record("cut at \(cut): did not open")
        continue
      }
      #expect(report.isIntact, "cut at \(cut): \(report.problems.map(\.message))")
      #expect(report.head.sequence == 1)
      #expect(report.notices.contains { $0.contains("unfinished save") })
      #expect(try readBytes(TestVaults.journal(folder)) == journalAfterOne)
      let kept = try FileManager.default.contentsOfDirectory(at: quarantine, includingPropertiesForKeys: nil)
      #expect(kept.count == 1)
      if let file = kept.first {
        #expect(try readBytes(file) == Array(full[journalAfterOne.count..<cut]))
      }
      try FileManager.default.removeItem(at: quarantine)
    }
    // After recovery the vault takes new records again.
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    try vault.addEntry(TestVaults.sampleEntry(title: "After the crash"))
    #expect(vault.index.entries.map(\.current.title) == ["Entry 1", "After the crash"])
  }

  @Test func aDamagedVaultCanBeReadButNotWritten() throws {
    let folder = try TestVaults.makeCheap(entries: 3)
    defer { TestVaults.remove(folder) }
    var bytes = try readBytes(TestVaults.journal(folder))
    let frames = TestVaults.frames(bytes)
    bytes[frames[2].lowerBound + 40] ^= 0x80
    try writeBytes(bytes, to: TestVaults.journal(folder))
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(vault.index.entries.map(\.current.title) == ["Entry 1", "Entry 2"])
    #expect(throws: VaultError.self) { try vault.addEntry(TestVaults.sampleEntry()) }
    #expect(try readBytes(TestVaults.journal(folder)) == bytes)
  }

  @Test func aReplacedOrUnsignedHeadIsReported() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    let headURL = folder.appendingPathComponent("head.json")
    var head = try readBytes(headURL)
    head[head.count / 2] ^= 0x01
    try writeBytes(head, to: headURL)
    if case .success(let report) = TestVaults.openResult(folder) {
      #expect(report.problems.first?.kind == .headNotAuthentic)
    } else {
      Issue.record("did not open")
    }
    try FileManager.default.removeItem(at: headURL)
    if case .success(let report) = TestVaults.openResult(folder) {
      #expect(report.problems.first?.kind == .headNotAuthentic)
    } else {
      Issue.record("did not open")
    }
  }

  @Test func aMissingJournalIsDamageNotAnEmptyVault() throws {
    let folder = try TestVaults.makeCheap(entries: 1)
    defer { TestVaults.remove(folder) }
    try FileManager.default.removeItem(at: TestVaults.journal(folder))
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(vault.integrity.problems.first?.kind == .journalMissing)
    #expect(throws: VaultError.self) { try vault.addEntry(TestVaults.sampleEntry()) }
    #expect(!FileManager.default.fileExists(atPath: TestVaults.journal(folder).path))
  }

  @Test func anInterruptedInitIsRecognisedAndExplained() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    try FileManager.default.removeItem(at: TestVaults.header(folder))
    do {
      _ = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), strength: TestVaults.strength)
      Issue.record("init over a half-made vault was accepted")
    } catch {
      #expect(error.code == .alreadyExists)
      #expect(error.hint?.contains("interrupted") == true)
    }
  }
}
