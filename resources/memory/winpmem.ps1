# Lariat memory acquisition with WinPmem (Windows).
# Lariat prepends: $env:LARIAT_BUCKET, LARIAT_KEY, LARIAT_REGION, LARIAT_TOOL_SOURCE.
# WinPmem writes the image into a named pipe served by this script, which
# hashes (SHA-256) and counts every byte while passing it to `aws s3 cp -` on
# standard input: nothing is staged on the instance's disks. Last line:
#   LARIAT_RESULT size=<bytes> sha256=<hex> uri=<s3 uri>
# Exit codes: 10 tool missing, 11 bucket not writable, 12 acquisition failed,
#             13 not elevated, 14 missing prerequisite.
$ErrorActionPreference = 'Stop'
function Fail([int]$code, [string]$msg) { [Console]::Error.WriteLine("LARIAT_ERROR $msg"); exit $code }

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { Fail 13 'not running elevated' }
$aws = (Get-Command aws.exe -ErrorAction SilentlyContinue).Source
if (-not $aws) { Fail 14 'the AWS CLI (aws.exe) is not installed' }
$uri = "s3://$($env:LARIAT_BUCKET)/$($env:LARIAT_KEY)"
$work = Join-Path $env:TEMP ("lariat-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $work | Out-Null

try {
  $tool = @('C:\Program Files\WinPmem\winpmem.exe', 'C:\Tools\winpmem.exe') | Where-Object { Test-Path $_ } | Select-Object -First 1
  if (-not $tool -and $env:LARIAT_TOOL_SOURCE) {
    $tool = Join-Path $work 'winpmem.exe'
    & $aws s3 cp --only-show-errors --region $env:LARIAT_REGION $env:LARIAT_TOOL_SOURCE $tool
    if ($LASTEXITCODE -ne 0) { $tool = $null }
  }
  if (-not $tool) { Fail 10 'winpmem is not installed and no tool source was given' }
  Write-Output ("tool $tool sha256 " + (Get-FileHash -Algorithm SHA256 $tool).Hash.ToLower())

  $marker = Join-Path $work 'started.txt'
  "Lariat acquisition started $((Get-Date).ToUniversalTime().ToString('o')) on $env:COMPUTERNAME" | Set-Content -Path $marker
  & $aws s3 cp --only-show-errors --region $env:LARIAT_REGION $marker "$uri.started"
  if ($LASTEXITCODE -ne 0) { Fail 11 "cannot write $uri.started" }

  $memBytes = (Get-CimInstance Win32_ComputerSystem).TotalPhysicalMemory
  $pipeName = 'lariat-' + [guid]::NewGuid().ToString('N')
  $pipe = New-Object System.IO.Pipes.NamedPipeServerStream($pipeName, [System.IO.Pipes.PipeDirection]::In, 1, [System.IO.Pipes.PipeTransmissionMode]::Byte, [System.IO.Pipes.PipeOptions]::None, 1048576, 1048576)

  $upload = New-Object System.Diagnostics.ProcessStartInfo
  $upload.FileName = $aws
  $upload.Arguments = "s3 cp --only-show-errors --region $($env:LARIAT_REGION) --expected-size $($memBytes + 1GB) - $uri"
  $upload.UseShellExecute = $false
  $upload.RedirectStandardInput = $true
  $uploader = [System.Diagnostics.Process]::Start($upload)

  $pmem = Start-Process -FilePath $tool -ArgumentList @("\\.\pipe\$pipeName") -PassThru -NoNewWindow -RedirectStandardError (Join-Path $work 'tool.err')
  $pipe.WaitForConnection()
  $sha = [System.Security.Cryptography.SHA256]::Create()
  $buffer = New-Object byte[] 1048576
  [long]$size = 0
  $sink = $uploader.StandardInput.BaseStream
  while (($n = $pipe.Read($buffer, 0, $buffer.Length)) -gt 0) {
    [void]$sha.TransformBlock($buffer, 0, $n, $null, 0)
    $sink.Write($buffer, 0, $n)
    $size += $n
  }
  [void]$sha.TransformFinalBlock($buffer, 0, 0)
  $sink.Close()
  $pipe.Dispose()
  $pmem.WaitForExit()
  $uploader.WaitForExit()
  if ($pmem.ExitCode -ne 0) { Fail 12 ("winpmem exited $($pmem.ExitCode): " + (Get-Content (Join-Path $work 'tool.err') -Raw)) }
  if ($uploader.ExitCode -ne 0) { Fail 11 "streaming to $uri failed" }
  if ($size -le 0) { Fail 12 'winpmem produced no data' }
  $hex = -join ($sha.Hash | ForEach-Object { $_.ToString('x2') })
  Write-Output "LARIAT_RESULT size=$size sha256=$hex uri=$uri"
} finally {
  Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
