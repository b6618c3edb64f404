import Foundation
import Testing

@testable import EvidenceVault

#if canImport(Glibc)
  import Glibc
#endif

/// Faults around a write: the signed head that cannot be written, a rollback that fails, a crash in the middle of
/// records that belong together, a blob that cannot be read, two `init`s at once.
@Suite struct FaultEdgeTests {
  static func cheapVault(_ folder: URL) throws -> Vault {
    try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
  }

  static func open(_ folder: URL) throws -> Vault {
    try Vault.open(at: folder, passphrase: TestVaults.passphrase())
  }

  static func head(_ folder: URL) throws -> HeadCheckpoint {
    try JSONDecoder().decode(HeadCheckpoint.self, from: Data(contentsOf: folder.appendingPathComponent("head.json")))
  }

  @Test func aSignedHeadThatCannotBeWrittenIsReportedAndSignedAgainAtTheNextOpen() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    var warnings: [String] = []
    do {
      let vault = try Self.cheapVault(folder)
      try vault.addEntry(TestVaults.sampleEntry(title: "One"))
      // A folder where the head's temporary file would go: the head cannot be replaced.
      let blocker = folder.appendingPathComponent(".head.json.tmp-\(ProcessInfo.processInfo.processIdentifier)")
      try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
      vault.onWarning = { warnings.append($0) }
      try vault.addEntry(TestVaults.sampleEntry(title: "Two"))
      try FileManager.default.removeItem(at: blocker)
    }
    #expect(warnings.count == 1)
    #expect(
      warnings.first?.hasPrefix("What you saved is on disk, but the signed head (head.json) could not be updated")
        == true)
    #expect(try Self.head(folder).sequence == 1, "the old head stays")

    let vault = try Self.open(folder)
    #expect(vault.integrity.isIntact, "\(vault.integrity.problems)")
    #expect(vault.records.count == 2, "the record whose head failed is kept")
    #expect(try Self.head(folder).sequence == 2, "the head is signed again when the vault is opened")
    #expect(try Self.head(folder).isAuthentic(vaultId: vault.vaultIdBytes, publicKey: vault.signingPublicKey))
  }

  @Test func theMarkerOfAnImportStaysWhenItsRollbackFailsAndTheNextOpenCutsTheImport() throws {
    let root = TestVaults.folder()
    defer { TestVaults.remove(root) }
    let folder = root.appendingPathComponent("vault")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let export = root.appendingPathComponent("inbox.mbox")
    try Data("From x\n".utf8).write(to: export)
    let journalBefore: Int
    do {
      let vault = try Self.cheapVault(folder)
      try vault.addEntry(TestVaults.sampleEntry())
      journalBefore = try readBytes(TestVaults.journal(folder)).count
      struct Malformed: Error {}
      var failure: Error?
      do {
        _ = try vault.importMessages(from: export) { session in
          // More than one 4 MiB write, so that frames of the import are on disk when it fails.
          for number in 1...100 { try session.add(ImportCrashTests.bigMessage(number), attachments: []) }
          vault.truncateFile = { _, _ in
            errno = EIO
            return -1
          }
          throw Malformed()
        }
      } catch {
        failure = error
      }
      let vaultError = try #require(failure as? VaultError)
      #expect(vaultError.message.hasPrefix("The import stopped and could not be undone yet"))
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("write.pending").path))
      #expect(try readBytes(TestVaults.journal(folder)).count > journalBefore, "the journal could not be cut")
    }
    let vault = try Self.open(folder)
    #expect(vault.integrity.isIntact, "\(vault.integrity.problems)")
    #expect(vault.records.count == 1 && vault.index.messages.isEmpty)
    #expect(try readBytes(TestVaults.journal(folder)).count == journalBefore)
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("write.pending").path))
  }

  /// The folder as a crash leaves it partway through appending an entry with two exhibits: the marker, the head
  /// before, and the journal cut `bytesIntoBatch` bytes after where the batch began.
  static func crashedMidBatch(_ folder: URL, keeping keep: (_ frames: [Range<Int>]) -> Int) throws -> Int {
    let vault = try cheapVault(folder)
    try vault.addEntry(TestVaults.sampleEntry(title: "Before"))
    let before = try readBytes(TestVaults.journal(folder))
    let headBefore = try readBytes(folder.appendingPathComponent("head.json"))
    let files = (1...2).map { folder.deletingLastPathComponent().appendingPathComponent("photo-\($0).jpg") }
    for (number, file) in files.enumerated() { try Data(repeating: UInt8(number), count: 70_000).write(to: file) }
    _ = try vault.addEntry(TestVaults.sampleEntry(title: "With photos"), attaching: files)
    let after = try readBytes(TestVaults.journal(folder))
    let batchFrames = TestVaults.frames(after).filter { $0.lowerBound >= before.count }
    #expect(batchFrames.count == 3, "two exhibits and the entry")
    try writeBytes(Array(after[..<keep(batchFrames)]), to: TestVaults.journal(folder))
    try writeBytes(headBefore, to: folder.appendingPathComponent("head.json"))
    try WriteMarker(journalSize: before.count, sequence: 1).write(in: folder)
    return before.count
  }

  @Test(arguments: [
    "after the first whole record", "after two whole records", "inside the last record", "after all three records",
  ])
  func anEntryAndItsExhibitsAreKeptAllOrNoneAcrossACrash(_ moment: String) throws {
    let root = TestVaults.folder()
    defer { TestVaults.remove(root) }
    let folder = root.appendingPathComponent("vault")
    let before = try Self.crashedMidBatch(folder) { frames in
      switch moment {
      case "after the first whole record": frames[0].upperBound
      case "after two whole records": frames[1].upperBound
      case "inside the last record": frames[2].upperBound - 7
      default: frames[2].upperBound
      }
    }
    let vault = try Self.open(folder)
    #expect(vault.integrity.isIntact, "\(vault.integrity.problems)")
    #expect(vault.records.count == 1, "none of the batch is kept when the crash came \(moment)")
    #expect(vault.index.exhibits.isEmpty && vault.index.entries.count == 1)
    #expect(try readBytes(TestVaults.journal(folder)).count == before)
    #expect(vault.integrity.notices.contains { $0.hasPrefix("A save of several records") })
    // Blobs stored for it are orphans that `repair` keeps, never lost.
    #expect(try vault.checkExhibits().orphanBlobs.count == 2)
  }

  @Test func aMarkedBatchThatWasAcknowledgedIsKept() throws {
    let root = TestVaults.folder()
    defer { TestVaults.remove(root) }
    let folder = root.appendingPathComponent("vault")
    do {
      let vault = try Self.cheapVault(folder)
      let file = root.appendingPathComponent("photo.jpg")
      try Data(repeating: 7, count: 1000).write(to: file)
      _ = try vault.addEntry(TestVaults.sampleEntry(), attaching: [file])
      #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("write.pending").path))
      // As a crash right after the head was signed and before the marker went would leave it.
      try WriteMarker(journalSize: JournalFormat.magicV2.count, sequence: 0).write(in: folder)
    }
    let vault = try Self.open(folder)
    #expect(vault.integrity.isIntact && vault.records.count == 2 && vault.index.exhibits.count == 1)
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("write.pending").path))
  }

  @Test func aBlobThatCannotBeReadIsNeverTakenForIntact() throws {
    let root = TestVaults.folder()
    defer { TestVaults.remove(root) }
    let folder = root.appendingPathComponent("vault")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let file = root.appendingPathComponent("photo.jpg")
    try Data(repeating: 9, count: 100_000).write(to: file)
    let blob: URL
    do {
      let vault = try Self.cheapVault(folder)
      _ = try vault.addEntry(TestVaults.sampleEntry(), attaching: [file])
      blob = vault.blobStore.url(of: vault.index.exhibits[0].current.blob)
    }
    // A folder where the blob was: opening it works, reading it fails (EISDIR), as with a bad sector.
    try FileManager.default.removeItem(at: blob)
    try FileManager.default.createDirectory(at: blob, withIntermediateDirectories: false)
    let vault = try Self.open(folder)
    let check = try vault.checkExhibits()
    #expect(!check.isIntact && check.problems.count == 1)
    #expect(check.problems.first?.contains("could not be checked") == true, "\(check.problems)")
    #expect(check.problems.first?.contains("missing") == false)
    // Attaching the same file again does not lean on the unreadable blob as if it were intact.
    #expect(throws: VaultError.self) { _ = try vault.addEntry(TestVaults.sampleEntry(), attaching: [file]) }
    #expect(vault.index.exhibits.count == 1)
  }

  @Test func twoInitsAtOnceNeverOverwriteEachOther() throws {
    let root = TestVaults.folder()
    defer { TestVaults.remove(root) }
    for round in 0..<6 {
      let folder = root.appendingPathComponent("vault-\(round)")
      let outcomes = LockedBox<[Result<String, VaultError>]>([])
      DispatchQueue.concurrentPerform(iterations: 2) { which in
        let phrase = "passphrase \(which)"
        do {
          let vault = try Vault.create(
            at: folder, passphrase: TestVaults.passphrase(phrase), opsLimit: 1, memLimitBytes: 8 << 20)
          try vault.addEntry(TestVaults.sampleEntry(title: "Made by \(which)"))
          outcomes.mutate { $0.append(.success(phrase)) }
        } catch let error as VaultError {
          outcomes.mutate { $0.append(.failure(error)) }
        } catch {
          Issue.record("unexpected \(error)")
        }
      }
      let made = outcomes.value.compactMap { try? $0.get() }
      let refused = outcomes.value.compactMap { outcome -> VaultError? in
        if case .failure(let error) = outcome { return error }
        return nil
      }
      #expect(made.count == 1, "round \(round): \(outcomes.value)")
      #expect(refused.allSatisfy { $0.code == .alreadyExists || $0.code == .busy }, "\(refused)")
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase(made[0]))
      #expect(vault.integrity.isIntact && vault.records.count == 1, "the winner's vault is whole")
    }
  }
}

/// A value shared between threads, behind a lock.
final class LockedBox<Value>: @unchecked Sendable {
  private var stored: Value
  private let lock = NSLock()
  init(_ value: Value) { stored = value }
  var value: Value { lock.withLock { stored } }
  func mutate(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
