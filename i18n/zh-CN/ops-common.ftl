# 各算子共用的文字（src/ops/mod.rs）以及轨迹自身的阶段（src/trace）。
# 控件的消息是它的标签；`.help` 属性（逐轴版本用 `.help-axes`）是标签下的说明。

## 共用控件

ops-height = 输入高度
    .help = 输入的行数（H）。
ops-width = 输入宽度
    .help = 输入的列数（W）。
ops-in-channels = 输入通道数
    .help = 输入的通道数（C_in）。
ops-out-channels = 输出通道数
    .help = 输出的通道数（C_out）。
ops-groups = 分组数
    .help = 把通道分成这么多个相互独立的组；它必须同时整除输入和输出的通道数。
ops-kernel-size = 卷积核大小
    .help = 卷积核的高和宽（k）。
    .help-axes = 卷积核的高和宽（k）；取消勾选“行列相同”即可使用 k_h×k_w 的卷积核。
ops-stride = 步长
    .help = 相邻窗口之间的间隔（s）。
    .help-axes = 相邻窗口之间的间隔（s），可逐轴设置。
ops-padding = 填充
    .help = 在输入四周各补上的零（p）。
    .help-axes = 在输入每个轴的前后各补上的零（p）。
ops-dilation = 膨胀率
    .help = 卷积核抽头之间的间距（d）；1 表示紧凑的卷积核。
    .help-axes = 卷积核抽头之间的间距（d），可逐轴设置；1 表示紧凑的卷积核。
ops-bias = 偏置
    .help = 为每个输出通道加上一个可学习的常数。
ops-bias-off = 关
ops-bias-on = 开
ops-input-values = 输入取值
    .help = 输入各单元格的预设值。
ops-weight-values = 卷积核取值
    .help = 卷积核各单元格的预设值。
ops-seed = 随机种子
    .help = 随机整数预设所用的种子。

## 取值预设

ops-preset-random = 随机整数
ops-preset-ones = 全为 1
ops-preset-impulse = 中心脉冲
ops-preset-edge = 边缘
ops-preset-channel = 通道编号
ops-preset-blob = 一个斑块（物体）

## 是非控件的选项，沿用 PyTorch 的写法

ops-false = false
ops-true = true

## 共用检查拒绝的情形

ops-nonempty-input = 输入至少要有一个单元格，而它的形状是 { $shape }
ops-nonempty-weight = 权重至少要有一个单元格，而它的形状是 { $shape }
ops-nonempty = { $what } 至少要有一个单元格，而它的形状是 { $shape }
ops-too-many-taps = 这一设置需要 { $n } 次乘加，而 convscope 最多只能演示 { $max } 次——请减小输入、卷积核或通道数

## 轨迹自身的阶段

ops-hand-over = 移交
    .explain = 上一步的结果被复制进来，四周补零。
