import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite("What a vault reveals on disk")
struct PrivacyTests {
  /// A vault with a person and two entries full of distinctive words, made with umask 000 so that
  /// the program, not the umask, must choose private permissions.
  private func makeVault() throws -> TestVault {
    let vault = try TestVault(initialize: false)
    let open = "umask 000;"
    var result = try vault.run(["init", "--kdf", "interactive"], shellPrefix: open)
    try #require(result.exitCode == 0, "\(result)")
    result = try vault.run(
      [
        "person", "add", "Zebrafink Kowalczyk", "--phone", "070-123 45 67", "--alias", "Glasögonormen",
        "--relation", "hyresvärd", "--notes", "Kör en röd Saab",
      ],
      shellPrefix: open)
    try #require(result.exitCode == 0, "\(result)")
    result = try vault.run(
      [
        "add", "--when", "igår 21:15", "--where", "Blåbärsgatan 17, Göteborg", "--title", "Hot om Kvarnhjulet",
        "--category", "threat", "--person", "Zebrafink Kowalczyk", "--injuries", "Blåmärke", "--narrative-file", "-",
      ],
      stdin: "Zebrafink ringde och sa att Kvarnhjulet väntar.\nMeddelandet kom från 070-123 45 67.\n",
      shellPrefix: open)
    try #require(result.exitCode == 0, "\(result)")
    result = try vault.run(
      ["amend", "1", "--tag", "Pärlemorfjäril"], shellPrefix: open)
    try #require(result.exitCode == 0, "\(result)")
    return vault
  }

  @Test("Every file in the vault is 0600 and every folder 0700, whatever the umask")
  func permissions() throws {
    let vault = try makeVault()
    defer { vault.remove() }

    var checked = 0
    func mode(_ path: String) throws -> (type: mode_t, permissions: mode_t) {
      var info = stat()
      try #require(lstat(path, &info) == 0, "lstat \(path) failed")
      return (info.st_mode & S_IFMT, info.st_mode & 0o7777)
    }
    let top = try mode(vault.folder.path)
    #expect(top.type == S_IFDIR)
    #expect(top.permissions == 0o700, "the vault folder is \(String(top.permissions, radix: 8))")
    let walker = try #require(FileManager.default.enumerator(atPath: vault.folder.path))
    var names: [String] = []
    while let relative = walker.nextObject() as? String {
      names.append(relative)
      let path = vault.folder.appendingPathComponent(relative).path
      let (type, permissions) = try mode(path)
      switch type {
      case S_IFDIR:
        #expect(permissions == 0o700, "folder \(relative) is \(String(permissions, radix: 8))")
      case S_IFREG:
        #expect(permissions == 0o600, "file \(relative) is \(String(permissions, radix: 8))")
      default:
        Issue.record("\(relative) is neither a file nor a folder (mode \(String(type, radix: 8)))")
      }
      checked += 1
    }
    for expected in ["vault.json", "journal.log", "lock", "blobs", "inbox"] {
      #expect(names.contains(expected), "\(expected) is missing; found \(names)")
    }
    #expect(checked >= 5)
  }

  @Test("No word written into the vault can be found in any of its files, in UTF-8 or UTF-16")
  func noPlaintext() throws {
    let vault = try makeVault()
    defer { vault.remove() }

    let words = [
      "Blåbärsgatan", "Zebrafink", "Kowalczyk", "Kvarnhjulet", "Glasögonormen", "Pärlemorfjäril", "Blåmärke",
      "hyresvärd", "701234567", "070-123 45 67", "Göteborg",
    ]
    var needles: [(String, [UInt8])] = []
    for word in words {
      needles.append(("\(word) UTF-8", Array(word.utf8)))
      needles.append(("\(word) UTF-8 decomposed", Array(word.decomposedStringWithCanonicalMapping.utf8)))
      needles.append(("\(word) UTF-16LE", word.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] }))
      needles.append(("\(word) UTF-16BE", word.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }))
    }

    let files = try vault.snapshot()
    #expect(files.keys.contains("journal.log"))
    #expect((files["journal.log"]?.count ?? 0) > 1000, "the journal holds the records")
    // The search itself works: the header's plaintext field is found.
    #expect(contains([UInt8](files["vault.json"] ?? Data()), Array("argon2id13".utf8)))
    for (name, data) in files {
      let haystack = [UInt8](data)
      for (label, needle) in needles where contains(haystack, needle) {
        Issue.record("\(name) contains \(label) in plain text")
      }
    }
  }

  private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var index = 0
    let last = haystack.count - needle.count
    while index <= last {
      if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
      index += 1
    }
    return false
  }
}
