// leadctl: the admin CLI; all commands live in LeadCtlKit.
import LeadCtlKit

await LeadCtl.runAsRoot(CommandLine.arguments.dropFirst())
