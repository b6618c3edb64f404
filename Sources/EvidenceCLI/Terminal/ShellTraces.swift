/// Values that name people or tell what happened, typed as options, stay in the shell's history and are visible
/// to other programs while the command runs: the person is told so, once per command.
enum ShellTraces {
  /// Options whose values identify someone or tell what happened, by the command they belong to.
  static let identifyingOptions: [String: Set<String>] = {
    let entry: Set = [
      "--title", "--where", "--injuries", "--narrative", "--person", "--witness", "--involved",
      "--police-ref", "--tag", "--notes",
    ]
    let person: Set = ["--phone", "--alias", "--relation", "--email", "--handle", "--notes", "--name"]
    return [
      "add": entry, "amend": entry,
      "person add": person, "person amend": person,
      "message add": ["--from", "--to", "--subject"],
      "list": ["--contains", "--person", "--tag"],
      "messages": ["--contains", "--from", "--person"],
      "import": ["--from", "--me", "--sender", "--name"],
      "export": ["--name"],
    ]
  }()

  /// Commands whose first argument after the command is a person's name.
  static let namedByArgument: Set = ["person add", "person amend"]

  /// The identifying options (and "a name") that `arguments` (without the program's name) gives on the command line.
  static func identifyingValues(in arguments: [String]) -> [String] {
    guard let first = arguments.first else { return [] }
    let two = arguments.count > 1 ? "\(first) \(arguments[1])" : first
    let command = identifyingOptions[two] != nil ? two : first
    guard let options = identifyingOptions[command] else { return [] }
    var found: [String] = []
    if namedByArgument.contains(command), arguments.count > 2, !arguments[2].hasPrefix("-") {
      found.append("a name")
    }
    for argument in arguments where argument.hasPrefix("--") {
      let option = String(argument.split(separator: "=", maxSplits: 1)[0])
      if options.contains(option) && !found.contains(option) { found.append(option) }
    }
    return found
  }

  /// The one-line warning for `values`, or nil when there are none.
  static func warning(for values: [String]) -> String? {
    guard !values.isEmpty else { return nil }
    let list =
      values.count == 1
      ? values[0] : values.dropLast().joined(separator: ", ") + " and " + (values.last ?? "")
    return
      "What you gave as \(list) on the command line is now in this terminal's history, and other programs on this computer could see it while the command ran. To leave no such trace, leave it out and answer the questions instead, or give the text in a file or on standard input."
  }
}
