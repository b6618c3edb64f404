import Foundation

/// The name the program was started under: copied or linked as `notes`, its help, errors and hints say `notes`,
/// so that nothing on the screen says "evidence" unless the person named it so.
enum ProgramName {
  /// The last part of the path it was started by; `evidence` when that says nothing useful.
  static let current: String = {
    let name = (CommandLine.arguments.first ?? "").split(separator: "/").last.map(String.init) ?? ""
    let usable = !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0 != "`" }
    return usable ? name : "evidence"
  }()

  /// `text` with every mention of a command (`` `evidence verify` ``, "evidence: error:") under the current name.
  static func rewrite(_ text: String) -> String {
    guard current != "evidence" else { return text }
    return text.replacingOccurrences(of: "`evidence ", with: "`\(current) ")
      .replacingOccurrences(of: "`evidence`", with: "`\(current)`")
      .replacingOccurrences(of: "evidence: ", with: "\(current): ")
  }

  /// A help text with its examples ("evidence attach 12 photo.jpg") under the current name; the word "evidence"
  /// followed by anything but a command (an "evidence package") is left alone.
  static func rewriteHelp(_ text: String, commands: [String]) -> String {
    guard current != "evidence" else { return text }
    var result = rewrite(text)
    for command in commands {
      result = result.replacingOccurrences(of: "evidence \(command) ", with: "\(current) \(command) ")
        .replacingOccurrences(of: "evidence \(command)\n", with: "\(current) \(command)\n")
    }
    return result
  }
}
