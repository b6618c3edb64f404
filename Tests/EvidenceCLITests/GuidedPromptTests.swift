import Foundation
import Testing

/// The prompts a person meets on a terminal: passphrases that do not echo, and the step-by-step `add`.
@Suite struct GuidedPromptTests {
  @Test("On a real terminal the passphrase is not echoed and the guided add asks again after each wrong answer")
  func guidedAddOnATerminal() throws {
    let script = EvidenceRunner.packageRoot.appendingPathComponent("Tests/Support/guided_session.py")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-guided-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", script.path, try EvidenceRunner.binary().path, folder.appendingPathComponent("vault").path,
    ]
    var environment = ProcessInfo.processInfo.environment
    EvidenceRunner.fixClock(&environment)
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(text)")
    #expect(text.contains("guided session: ok"))
  }
}
