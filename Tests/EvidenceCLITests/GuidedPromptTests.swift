import Foundation
import Testing

/// The prompts a person meets on a terminal: passphrases that do not echo, and the step-by-step `add`.
@Suite struct GuidedPromptTests {
  @Test("On a real terminal the passphrase is not echoed and the guided add asks again after each wrong answer")
  func guidedAddOnATerminal() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-guided-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let (status, text) = try EvidenceRunner.session("guided_session.py", [folder.appendingPathComponent("vault").path])
    #expect(status == 0, "\(text)")
    #expect(text.contains("guided session: ok"))
  }
}

extension GuidedPromptTests {
  @Test("init on a terminal asks where to keep the vault, explains the neutral default and takes it on Enter")
  func initAsksWhere() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-init-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (status, text) = try EvidenceRunner.session("init_session.py", [folder.path])
    #expect(status == 0, "\(text)")
    #expect(text.contains("init session: ok"))
  }
}

extension GuidedPromptTests {
  @Test(
    "In each language, on a real terminal: init, three passphrase tries, the guided add with ?, < and a person added on the way, the guided message add, and the menu",
    arguments: ["sv", "en"])
  func wholeSessionInALanguage(language: String) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "evidence-language-\(language)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (status, text) = try EvidenceRunner.session("language_session.py", [folder.path, language])
    #expect(status == 0, "\(text)")
    #expect(text.contains("language session \(language): ok"))
  }
}
