import Foundation
import Testing

/// Drafts: what a person typed into the guided `add` (or a `message add` before a wrong passphrase) survives
/// Ctrl-C, and the next run offers it.
@Suite struct DraftTests {
  @Test(
    "A guided add interrupted with Ctrl-C is offered by the next add with its answers; kept as a note; discarded on two answers"
  )
  func draftsOnARealTerminal() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    let canary = "kanariefågel-7Qx"
    let (status, text) = try EvidenceRunner.session("draft_session.py", [vault.folder.path, canary])
    #expect(status == 0, "\(text)")
    #expect(text.contains("draft session: ok"))
    // What was typed never reached the disk in the clear, in any of the forms a search would try.
    let forms =
      [
        Data(canary.utf8), Data(canary.decomposedStringWithCanonicalMapping.utf8),
      ] + [String.Encoding.utf16LittleEndian, .utf16BigEndian].compactMap { canary.data(using: $0) }
    for (path, data) in try vault.snapshot() {
      for form in forms { #expect(data.range(of: form) == nil, "\(path) holds the canary") }
    }
  }
}
