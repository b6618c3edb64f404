import Foundation
import Testing

@testable import EvidenceVault

/// A vault on a disk that cannot be written to (mounted read-only, or full) still opens, to read and export.
///
/// These tests mount a small tmpfs, which needs root (CAP_SYS_ADMIN); where that is not allowed they are skipped.
@Suite(.enabled(if: SmallDisk.canMount, "mounting a tmpfs needs root")) struct ReadOnlyDiskTests {
  /// A vault with two entries and a torn save at its end, as a crash during a third save leaves it (the signed
  /// head still says two: the third was never acknowledged). Returns the journal's length.
  static func vaultWithTornSave(in folder: URL) throws -> Int {
    let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), opsLimit: 1, memLimitBytes: 8 << 20)
    try vault.addEntry(TestVaults.sampleEntry(title: "One"))
    try vault.addEntry(TestVaults.sampleEntry(title: "Two"))
    let whole = try readBytes(TestVaults.journal(folder))
    let head = try readBytes(folder.appendingPathComponent("head.json"))
    try vault.addEntry(TestVaults.sampleEntry(title: "Three"))
    let withThird = try readBytes(TestVaults.journal(folder))
    try writeBytes(Array(withThird[..<(whole.count + 20)]), to: TestVaults.journal(folder))
    try writeBytes(head, to: folder.appendingPathComponent("head.json"))
    return whole.count + 20
  }

  @Test func aVaultOnAReadOnlyDiskOpensToReadAndRefusesWritesInOneSentence() throws {
    let disk = try SmallDisk(megabytes: 16)
    defer { disk.unmount() }
    let folder = disk.folder.appendingPathComponent("vault")
    let tornSize = try Self.vaultWithTornSave(in: folder)
    try disk.remountReadOnly()

    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(vault.integrity.isIntact, "\(vault.integrity.problems)")
    #expect(vault.readOnlyReason == "its disk is read-only.")
    #expect(vault.index.entries.map(\.current.title) == ["One", "Two"])
    #expect(
      vault.integrity.notices.contains { $0.contains("it is left out, and set aside when the vault is next opened") })
    #expect(vault.integrity.notices.contains { $0 == "The vault is open to read only: its disk is read-only." })
    #expect(try readBytes(TestVaults.journal(folder)).count == tornSize, "nothing on the disk changed")
    do {
      try vault.addEntry(TestVaults.sampleEntry(title: "Four"))
      Issue.record("a write on a read-only disk was accepted")
    } catch {
      #expect(error.message == "The vault is open to read only: its disk is read-only.")
    }
  }

  @Test func aVaultOnAFullDiskThatNeedsARepairOpensToRead() throws {
    let disk = try SmallDisk(megabytes: 4)
    defer { disk.unmount() }
    let folder = disk.folder.appendingPathComponent("vault")
    let tornSize = try Self.vaultWithTornSave(in: folder)
    try disk.fill()

    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      #expect(vault.integrity.isIntact, "\(vault.integrity.problems)")
      #expect(vault.readOnlyReason?.hasPrefix("its disk is full") == true)
      #expect(vault.index.entries.map(\.current.title) == ["One", "Two"])
      #expect(try readBytes(TestVaults.journal(folder)).count == tornSize)
    }

    // With space again, the next open repairs and writes.
    try disk.unfill()
    let again = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(again.readOnlyReason == nil && again.integrity.isIntact)
    #expect(try readBytes(TestVaults.journal(folder)).count < tornSize)
    try again.addEntry(TestVaults.sampleEntry(title: "Three, again"))
  }
}

/// A tmpfs of a few MiB, mounted for one test.
struct SmallDisk {
  let folder: URL

  static let canMount: Bool = {
    guard getuid() == 0, let disk = try? SmallDisk(megabytes: 1) else { return false }
    disk.unmount()
    return true
  }()

  init(megabytes: Int) throws {
    folder = TestVaults.folder("disk-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Self.run("/bin/mount", "-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", folder.path)
  }

  func remountReadOnly() throws { try Self.run("/bin/mount", "-o", "remount,ro", folder.path) }

  /// Fills the disk with a file, to the last byte.
  func fill() throws {
    let descriptor = open(folder.appendingPathComponent("filler").path, O_WRONLY | O_CREAT, 0o600)
    defer { close(descriptor) }
    let block = [UInt8](repeating: 0, count: 64 << 10)
    var size = block.count
    while size > 0 {
      while write(descriptor, block, size) > 0 {}
      size /= 2
    }
  }

  func unfill() throws { try FileManager.default.removeItem(at: folder.appendingPathComponent("filler")) }

  func unmount() {
    try? Self.run("/bin/umount", folder.path)
    try? FileManager.default.removeItem(at: folder)
  }

  private static func run(_ arguments: String...) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    struct Failed: Error { let command: [String] }
    guard process.terminationStatus == 0 else { throw Failed(command: arguments) }
  }
}
