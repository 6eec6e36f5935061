<?php
// Deployed by runbook (role session_test): a counter kept in the PHP session. Requested through
// every web server with one cookie, it goes up across servers only if they share sessions.
session_start();
$count = isset($_SESSION['count']) ? $_SESSION['count'] : 1;
header('Content-Type: text/plain');
header('Cache-Control: no-store');
echo "count=$count\n";
echo 'handler=' . ini_get('session.save_handler') . "\n";
$_SESSION['count'] = ++$count;
